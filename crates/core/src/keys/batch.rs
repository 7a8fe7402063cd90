//! Many Ed25519 signatures at once, with exactly the answers that
//! [`PublicKey::verify`] (ed25519-dalek's `verify_strict`) gives one by one.
//!
//! `verify_strict` stays the definition: this module is an optimisation of it,
//! tested against it on every published vector and on generated inputs.
//!
//! # What strict verification accepts
//!
//! For a signature (R, s) by key A over message M, `verify_strict` accepts iff
//!
//! 1. s < ℓ (the scalar is canonical);
//! 2. R's 32 bytes decompress to a point, and neither R nor A has small order;
//! 3. the bytes of compress([s]B − [k]A) are R's bytes, where
//!    k = SHA-512(R ‖ A ‖ M) mod ℓ over the bytes as given.
//!
//! When R's bytes are the canonical encoding of the point R, 3 is the point
//! equation D = [s]B − R − [k]A = 0 (compression is injective); when they are
//! not, 3 never holds, since compression only writes canonical encodings.
//! Nothing here needs A's encoding to be canonical: both paths hash the same
//! key bytes and use the same point.
//!
//! # The policy
//!
//! **Pre-checks** (per signature; strict does the same work): s < ℓ; R's y coordinate
//! < p; R decompresses; R has not small order. (A never has small order: a
//! [`PublicKey`] refuses weak keys.) A signature that fails one is *routed* to
//! `verify_strict`, which gives its answer; it takes no part in a batch. After
//! the pre-checks, strict accepts a signature iff D = 0. (The non-canonical
//! encodings with x = 0 are of the identity and of the point of order 2, so
//! the small-order check catches them.)
//!
//! The others are **batched**, in chunks. The curve's group is ℤ/8 × ℤ/ℓ, so
//! every point is P = P′ + P″ with P′ in the prime-order subgroup and P″ in
//! the 8-torsion. A chunk passes only if both parts of every D are zero:
//!
//! - **Torsion part.** B has none, so D″ = −(R″ + (k mod 8)·A″), which is
//!   −E″ for E = R + [k mod 8]A (at most four additions). For λ independent
//!   uniformly random subsets S_j of the chunk, check [ℓ](Σ_{i∈S_j} E_i) = 0.
//!   [ℓ] kills the prime-order parts and is a bijection of the 8-torsion, so a
//!   test passes iff Σ_{i∈S_j} E_i″ = 0. If some E_i″ ≠ 0, the two choices
//!   for i ∈ S_j give two different sums, at most one of them zero: each test
//!   misses with probability ≤ ½, all λ with ≤ 2^−λ. The subset sums cost
//!   about 30 additions per signature (tables of the 2⁵ sums of 5 consecutive
//!   points), and each test one variable-time multiplication by ℓ per call.
//! - **Prime-order part.** With independent uniformly random λ-bit z_i, check
//!   [8](Σ z_i R_i + Σ (z_i k_i mod ℓ) A_i − (Σ z_i s_i mod ℓ) B) = 0, one
//!   multiscalar multiplication. Scalars reduced mod ℓ act wrongly on torsion,
//!   hence the [8], which removes it: what is left is −[8]Σ z_i D_i′. If some
//!   D_i′ ≠ 0, then for fixed other z the λ-bit values of z_i give distinct
//!   points z_i D_i′ (2^λ < ℓ), at most one of which makes the sum zero:
//!   probability ≤ 2^−λ.
//!
//! So D_i = D_i′ + D_i″ = 0 for every signature of a chunk that passes.
//! *Completeness*: if strict accepts every signature of a chunk, every D is
//! zero and both checks pass whatever the randomness; valid signatures are
//! never sent to the fallback by themselves, not even those whose A and R both
//! carry torsion that cancels (strict accepts those, and so does this).
//! *Soundness*: a signature strict rejects is answered by the batch only if a
//! check it took part in missed: the torsion test of the whole call, or of its
//! chunk, or its chunk's equation, each missing with probability ≤ 2^−λ. With
//! λ = 128 + ⌈log₂(2·chunks + 1)⌉, a union bound over those checks gives:
//! the answers equal strict's for every input with probability
//! ≥ 1 − 2^−128 over this verifier's randomness.
//!
//! **Fallback.** Every signature of a chunk that fails either check is
//! verified alone with `verify_strict`, so the caller learns exactly which
//! ones are bad. The torsion test runs once over the whole call (the sums add
//! up over chunks); only if it fails are the chunks tested one by one.
//!
//! **Randomness** is ChaCha20 keyed with 32 bytes from the operating system
//! (in the browser, `crypto.getRandomValues`), one stream per chunk and use,
//! never derived from the inputs: whoever writes the signatures cannot aim at
//! it. (The bounds above are for uniform bits; ChaCha20's output stands in
//! for them, as in any CSPRNG.) Without OS randomness, or with fewer than
//! [`BatchConfig::min_batch`] batchable signatures, everything is verified
//! one by one. With the `parallel` feature, signatures and chunks are checked
//! on all cores.
//!
//! # Why not ed25519-dalek's `verify_batch`
//!
//! It checks Σ z_i D_i = 0 with scalars reduced mod ℓ and z_i hashed from the
//! inputs (merlin transcript, no outside randomness). On a D with a torsion
//! part that check is neither the cofactored nor the cofactorless equation: it
//! passes or fails depending on z_i mod 8, which the signer can grind. It also
//! decompresses R and hashes (R, A, M) a second time, after the pre-checks did.
//! The equation here uses the points and hashes the pre-checks computed, fresh
//! randomness, and the cofactor; the torsion test takes care of the rest.

use std::iter;

use curve25519_dalek::constants::ED25519_BASEPOINT_POINT;
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{Identity, IsIdentity, VartimeMultiscalarMul};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use sha2::{Digest, Sha512};

use super::PublicKey;
use crate::parallel::map;

/// The soundness of a whole call, in bits; each check has λ = this +
/// ⌈log₂(2·chunks + 1)⌉.
pub const SECURITY_BITS: u32 = 128;

/// Points per subset-sum table in the torsion test: 2⁵ sums each, the fewest
/// additions per signature for 128 tests (the cost is (2^t + 128)/t).
const TABLE_BITS: usize = 5;

/// One signature to check.
#[derive(Clone, Copy, Debug)]
pub struct SignedItem<'a> {
    pub key: &'a PublicKey,
    pub msg: &'a [u8],
    pub signature: &'a [u8; 64],
}

impl SignedItem<'_> {
    /// The definition: strict verification of this signature alone.
    pub fn verify_strict(&self) -> bool {
        self.key.verify(self.msg, self.signature).is_ok()
    }
}

/// How [`verify_many_with`] reached the answer for one signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// Accepted by a chunk that passed the torsion test and the equation.
    Batch,
    /// Failed a pre-check (s ≥ ℓ, R not a canonical point of large order):
    /// answered by `verify_strict` alone.
    Precheck,
    /// In a chunk that failed the torsion test: answered by `verify_strict`.
    TorsionFallback,
    /// In a chunk that failed the batch equation: answered by `verify_strict`.
    EquationFallback,
    /// Too few batchable signatures for a batch to pay, or no OS randomness:
    /// answered by `verify_strict`.
    Unbatched,
}

/// Sizes for [`verify_many_with`]; [`verify_many`] uses the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchConfig {
    /// Signatures per batch equation. Larger chunks make the multiscalar
    /// multiplication cheaper per signature; a failed chunk costs one
    /// `verify_strict` per signature in it.
    pub chunk_size: usize,
    /// Below this many batchable signatures, everything is verified one by
    /// one: the torsion test's fixed cost (λ multiplications by ℓ) would
    /// outweigh what batching saves.
    pub min_batch: usize,
}

impl Default for BatchConfig {
    /// Measured (x86-64, CPU time per signature, strict ≈ 37 µs): the
    /// equation costs 8.2, 7.3, 6.7 and 6.3 µs for chunks of 256, 512, 1024
    /// and 2048; 1024 is within 0.4 µs of 2048 and a failed chunk costs half
    /// as many strict verifications. The fixed cost of the torsion test
    /// (≈ 2.9 ms) makes batches of 128 slower than strict (40 µs) and batches
    /// of 192 faster (33 µs). See `benches/verify.rs`.
    fn default() -> Self {
        Self { chunk_size: 1024, min_batch: 192 }
    }
}

/// The answers of [`verify_many_with`], in the order of the items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchOutcome {
    /// Whether `verify_strict` accepts each signature.
    pub valid: Vec<bool>,
    /// How each answer was reached.
    pub routes: Vec<Route>,
}

/// For each item, whether `item.key.verify(item.msg, item.signature)`
/// (strict verification) accepts it; see the module documentation for why
/// the answers are the same.
pub fn verify_many(items: &[SignedItem<'_>]) -> Vec<bool> {
    verify_many_with(items, &BatchConfig::default()).valid
}

/// [`verify_many`] with chosen sizes, also saying how each answer was reached.
pub fn verify_many_with(items: &[SignedItem<'_>], config: &BatchConfig) -> BatchOutcome {
    let prepared = map(items, |index, item| Prepared::new(index, item));
    let mut routes: Vec<Route> =
        prepared.iter().map(|p| if p.is_some() { Route::Unbatched } else { Route::Precheck }).collect();
    let batchable: Vec<Prepared> = prepared.into_iter().flatten().collect();
    let seed = if batchable.len() >= config.min_batch.max(1) { os_seed() } else { None };
    if let Some(seed) = seed {
        let chunks: Vec<&[Prepared]> = batchable.chunks(config.chunk_size.max(1)).collect();
        // One torsion test over the call, one per chunk if it fails, one equation
        // per chunk: a union bound over 2·chunks + 1 checks of 2^−λ each.
        let lambda = SECURITY_BITS + ceil_log2(2 * chunks.len() + 1);
        let torsion_free = torsion_test(&chunks, lambda, &seed);
        let chunk_routes = map(&chunks, |c, chunk| {
            if !torsion_free[c] {
                Route::TorsionFallback
            } else if equation_holds(chunk, lambda, &mut stream(&seed, c, Purpose::Weights)) {
                Route::Batch
            } else {
                Route::EquationFallback
            }
        });
        for (chunk, route) in chunks.iter().zip(chunk_routes) {
            for p in chunk.iter() {
                routes[p.index] = route;
            }
        }
    }
    let valid = map(items, |i, item| routes[i] == Route::Batch || item.verify_strict());
    BatchOutcome { valid, routes }
}

/// A signature that passed the pre-checks, with what the checks need.
struct Prepared {
    index: usize,
    s: Scalar,
    k: Scalar,
    r: EdwardsPoint,
    a: EdwardsPoint,
    /// R + [k mod 8]A: its torsion part is minus that of [s]B − R − [k]A.
    e: EdwardsPoint,
}

impl Prepared {
    /// `None` if a pre-check fails (the signature then goes to strict).
    fn new(index: usize, item: &SignedItem<'_>) -> Option<Self> {
        let mut r_bytes = [0u8; 32];
        let mut s_bytes = [0u8; 32];
        r_bytes.copy_from_slice(&item.signature[..32]);
        s_bytes.copy_from_slice(&item.signature[32..]);
        let s = Option::<Scalar>::from(Scalar::from_canonical_bytes(s_bytes))?;
        if !y_is_canonical(&r_bytes) {
            return None;
        }
        let r = CompressedEdwardsY(r_bytes).decompress()?;
        if r.is_small_order() {
            return None;
        }
        // The key's bytes as given, as verify_strict hashes them.
        let key = &item.key.key;
        let a = key.to_edwards();
        let digest = Sha512::new().chain_update(r_bytes).chain_update(key.as_bytes()).chain_update(item.msg).finalize();
        let mut wide = [0u8; 64];
        wide.copy_from_slice(&digest);
        let k = Scalar::from_bytes_mod_order_wide(&wide);
        let e = plus_small_multiple(r, &a, k.as_bytes()[0] & 7);
        Some(Self { index, s, k, r, a, e })
    }
}

/// Whether the 255-bit y of a compressed point is below p = 2²⁵⁵ − 19 (the
/// sign bit, bit 255, is not part of y).
fn y_is_canonical(bytes: &[u8; 32]) -> bool {
    !(bytes[31] & 0x7f == 0x7f && bytes[1..31].iter().all(|&b| b == 0xff) && bytes[0] >= 0xed)
}

/// `base + [c]p` for a small c, by doubling and adding.
fn plus_small_multiple(mut base: EdwardsPoint, p: &EdwardsPoint, mut c: u8) -> EdwardsPoint {
    let mut power = *p;
    while c != 0 {
        if c & 1 == 1 {
            base += &power;
        }
        c >>= 1;
        if c != 0 {
            power = power + power;
        }
    }
    base
}

/// ⌈log₂ n⌉, 0 for n ≤ 1.
fn ceil_log2(n: usize) -> u32 {
    usize::BITS - n.saturating_sub(1).leading_zeros()
}

fn os_seed() -> Option<[u8; 32]> {
    let mut seed = [0u8; 32];
    getrandom::getrandom(&mut seed).ok()?;
    Some(seed)
}

/// What a stream of random numbers is for.
#[derive(Clone, Copy)]
enum Purpose {
    Subsets = 0,
    Weights = 1,
}

/// The ChaCha20 stream keyed by the OS seed for one chunk and purpose: every
/// chunk draws its own, so chunks can be checked in any order, in parallel.
fn stream(seed: &[u8; 32], chunk: usize, purpose: Purpose) -> ChaCha20Rng {
    let mut rng = ChaCha20Rng::from_seed(*seed);
    rng.set_stream(2 * chunk as u64 + purpose as u64);
    rng
}

/// For each chunk, whether all its E are torsion-free (up to 2^−λ). One test
/// over the sums of all chunks; only if it fails, one per chunk.
fn torsion_test(chunks: &[&[Prepared]], lambda: u32, seed: &[u8; 32]) -> Vec<bool> {
    let sums = map(chunks, |c, chunk| random_subset_sums(chunk, lambda, &mut stream(seed, c, Purpose::Subsets)));
    let mut total = vec![EdwardsPoint::identity(); lambda as usize];
    for chunk_sums in &sums {
        for (t, s) in total.iter_mut().zip(chunk_sums) {
            *t += s;
        }
    }
    if all_torsion_free(&total) {
        vec![true; chunks.len()]
    } else if chunks.len() == 1 {
        vec![false]
    } else {
        sums.iter().map(|s| all_torsion_free(s)).collect()
    }
}

/// λ sums of the E of the chunk, each over an independent uniformly random
/// subset: every E is in each subset with probability ½, independently.
fn random_subset_sums(chunk: &[Prepared], lambda: u32, rng: &mut ChaCha20Rng) -> Vec<EdwardsPoint> {
    let mut sums = vec![EdwardsPoint::identity(); lambda as usize];
    let mut bits = Bits { rng, word: 0, left: 0 };
    let mut table = Vec::with_capacity(1 << TABLE_BITS);
    for block in chunk.chunks(TABLE_BITS) {
        // table[m] = Σ of block[b].e over the bits b of m.
        table.clear();
        table.push(EdwardsPoint::identity());
        for m in 1..1usize << block.len() {
            let low = &block[m.trailing_zeros() as usize].e;
            let rest = m & (m - 1);
            table.push(if rest == 0 { *low } else { table[rest] + low });
        }
        for sum in sums.iter_mut() {
            let m = bits.take(block.len() as u32);
            if m != 0 {
                *sum += &table[m];
            }
        }
    }
    sums
}

/// Whether [ℓ]Q is the identity for every Q, i.e. every Q is torsion-free.
fn all_torsion_free(points: &[EdwardsPoint]) -> bool {
    // [ℓ]Q = [ℓ − 1]Q + Q, with a variable-time multiplication by ℓ − 1 = −1 mod ℓ.
    let minus_one = -Scalar::ONE;
    map(points, |_, q| {
        (EdwardsPoint::vartime_double_scalar_mul_basepoint(&minus_one, q, &Scalar::ZERO) + q).is_identity()
    })
    .into_iter()
    .all(|free| free)
}

/// Whether [8](Σ z_i R_i + Σ (z_i k_i) A_i − (Σ z_i s_i) B) is the identity,
/// for fresh random λ-bit z_i.
fn equation_holds(chunk: &[Prepared], lambda: u32, rng: &mut ChaCha20Rng) -> bool {
    let zs: Vec<Scalar> = chunk.iter().map(|_| random_scalar(lambda, rng)).collect();
    let b: Scalar = zs.iter().zip(chunk).map(|(z, p)| z * p.s).sum();
    let scalars = iter::once(-b).chain(zs.iter().copied()).chain(zs.iter().zip(chunk).map(|(z, p)| z * p.k));
    let points =
        iter::once(&ED25519_BASEPOINT_POINT).chain(chunk.iter().map(|p| &p.r)).chain(chunk.iter().map(|p| &p.a));
    EdwardsPoint::vartime_multiscalar_mul(scalars, points).is_small_order()
}

/// A uniformly random integer of `bits` bits (fewer than 252), as a scalar.
fn random_scalar(bits: u32, rng: &mut ChaCha20Rng) -> Scalar {
    let mut bytes = [0u8; 32];
    let full = (bits / 8) as usize;
    rng.fill_bytes(&mut bytes[..full]);
    let extra = bits - 8 * full as u32;
    if extra > 0 {
        bytes[full] = (rng.next_u32() as u8) & ((1u8 << extra) - 1);
    }
    Scalar::from_bytes_mod_order(bytes)
}

/// Random bits, a few at a time.
struct Bits<'r> {
    rng: &'r mut ChaCha20Rng,
    word: u64,
    left: u32,
}

impl Bits<'_> {
    /// `n` (at most 32) uniformly random bits.
    fn take(&mut self, n: u32) -> usize {
        if self.left < n {
            self.word = self.rng.next_u64();
            self.left = 64;
        }
        let v = self.word & ((1u64 << n) - 1);
        self.word >>= n;
        self.left -= n;
        v as usize
    }
}

#[cfg(test)]
mod tests {
    use curve25519_dalek::constants::EIGHT_TORSION;

    use super::*;
    use crate::keys::SecretKey;

    /// Batches of any size, in chunks of 16: the batch path, not the fallback.
    const SMALL: BatchConfig = BatchConfig { chunk_size: 16, min_batch: 1 };

    /// A key made from a known secret scalar, and signatures made by hand, so
    /// that the tests can put torsion where they like.
    struct HandKey {
        a: Scalar,
        point: EdwardsPoint,
        public: PublicKey,
    }

    impl HandKey {
        /// The key [a]B + torsion.
        fn new(seed: u8, torsion: EdwardsPoint) -> Self {
            let a = Scalar::from_bytes_mod_order([seed; 32]);
            let point = EdwardsPoint::mul_base(&a) + torsion;
            let public = PublicKey::from_raw(&point.compress().to_bytes()).expect("not a weak key");
            Self { a, point, public }
        }

        fn challenge(&self, r: &EdwardsPoint, msg: &[u8]) -> Scalar {
            let digest = Sha512::new()
                .chain_update(r.compress().as_bytes())
                .chain_update(self.public.key.as_bytes())
                .chain_update(msg)
                .finalize();
            let mut wide = [0u8; 64];
            wide.copy_from_slice(&digest);
            Scalar::from_bytes_mod_order_wide(&wide)
        }

        /// R = [r]B + torsion, s = r + k·a with k over that R.
        fn sign(&self, nonce: u64, torsion: EdwardsPoint, msg: &[u8]) -> [u8; 64] {
            let r = Scalar::from(nonce) * Scalar::from(0x9e37_79b9_7f4a_7c15u64);
            let big_r = EdwardsPoint::mul_base(&r) + torsion;
            let s = r + self.challenge(&big_r, msg) * self.a;
            let mut sig = [0u8; 64];
            sig[..32].copy_from_slice(big_r.compress().as_bytes());
            sig[32..].copy_from_slice(s.as_bytes());
            sig
        }

        /// Whether the cofactored equation [8]([s]B − R − [k]A) = 0 holds.
        fn cofactored_accepts(&self, msg: &[u8], sig: &[u8; 64]) -> bool {
            let r = CompressedEdwardsY(sig[..32].try_into().unwrap()).decompress().unwrap();
            let s = Scalar::from_canonical_bytes(sig[32..].try_into().unwrap()).unwrap();
            let k = self.challenge(&r, msg);
            (EdwardsPoint::mul_base(&s) - r - k * self.point).is_small_order()
        }
    }

    /// `n` honest signatures, one key each, as the demo's devices make them.
    fn honest(n: usize) -> Vec<(SecretKey, Vec<u8>, [u8; 64])> {
        (0..n)
            .map(|i| {
                let key = SecretKey::from_seed(&[i as u8 ^ 0x5a; 32]);
                let msg = format!("station {i} ballots {}", 700 + i).into_bytes();
                let sig = key.sign(&msg);
                (key, msg, sig)
            })
            .collect()
    }

    fn items(signed: &[(SecretKey, Vec<u8>, [u8; 64])]) -> Vec<SignedItem<'_>> {
        signed.iter().map(|(key, msg, sig)| SignedItem { key: key.public(), msg, signature: sig }).collect()
    }

    /// Checks `bad` alone and at the start, middle and end of 40 honest
    /// signatures: the answers are strict's, honest chunks take the batch
    /// path; returns the bad signature's route in the batch.
    fn mixed_in(bad: SignedItem<'_>, expected: bool) -> Route {
        assert_eq!(bad.verify_strict(), expected, "the oracle");
        let alone = verify_many_with(&[bad], &SMALL);
        assert_eq!(alone.valid, [expected]);
        let signed = honest(40);
        let mut route = None;
        for at in [0, 20, 40] {
            let mut batch = items(&signed);
            batch.insert(at, bad);
            let out = verify_many_with(&batch, &SMALL);
            let strict: Vec<bool> = batch.iter().map(SignedItem::verify_strict).collect();
            assert_eq!(out.valid, strict, "bad signature at {at}");
            assert_eq!(out.routes[at], alone.routes[0], "same route alone and at {at}");
            let chunk = at / SMALL.chunk_size;
            for (i, r) in out.routes.iter().enumerate() {
                if i / SMALL.chunk_size != chunk {
                    assert_eq!(*r, Route::Batch, "honest signature {i}, bad one at {at}");
                }
            }
            route = Some(out.routes[at]);
        }
        route.unwrap()
    }

    #[test]
    fn accepts_honest_signatures_through_the_batch() {
        let signed = honest(50);
        let out = verify_many_with(&items(&signed), &SMALL);
        assert!(out.valid.iter().all(|&v| v));
        assert!(out.routes.iter().all(|&r| r == Route::Batch), "{:?}", out.routes);
        assert_eq!(verify_many(&items(&signed)), vec![true; 50]);
    }

    #[test]
    fn rejects_torsioned_r_that_cofactored_batch_accepts() {
        let key = HandKey::new(3, EdwardsPoint::identity());
        // Order 8, 4 and 2.
        for t in [EIGHT_TORSION[1], EIGHT_TORSION[2], EIGHT_TORSION[4]] {
            let msg = b"station IR-15-S00042 ballots 812";
            let sig = key.sign(11, t, msg);
            assert!(key.cofactored_accepts(msg, &sig));
            let bad = SignedItem { key: &key.public, msg, signature: &sig };
            assert_eq!(mixed_in(bad, false), Route::TorsionFallback);
        }
    }

    #[test]
    fn rejects_mixed_order_key_signature_that_cofactored_batch_accepts() {
        let key = HandKey::new(4, EIGHT_TORSION[3]);
        // The torsion of D is −[k]T: zero when 8 divides k; take a message where it does not.
        let (msg, sig) = (0u32..)
            .map(|i| format!("station {i}").into_bytes())
            .map(|msg| {
                let sig = key.sign(5, EdwardsPoint::identity(), &msg);
                (msg, sig)
            })
            .find(|(msg, sig)| key.public.verify(msg, sig).is_err())
            .unwrap();
        assert!(key.cofactored_accepts(&msg, &sig));
        let bad = SignedItem { key: &key.public, msg: &msg, signature: &sig };
        assert_eq!(mixed_in(bad, false), Route::TorsionFallback);
    }

    #[test]
    fn accepts_mixed_order_key_and_r_whose_torsion_cancels_as_strict_does() {
        // A = [a]B + T and R = [r]B + T_R with T_R = −[k]T: [s]B = R + [k]A exactly,
        // so strict accepts although neither A nor R is torsion-free.
        let key = HandKey::new(6, EIGHT_TORSION[1]);
        let msg = b"station IR-15-S00077 ballots 640";
        let sig = (1u64..)
            .flat_map(|nonce| EIGHT_TORSION[1..].iter().map(move |t| (nonce, *t)))
            .map(|(nonce, t)| key.sign(nonce, t, msg))
            .find(|sig| key.public.verify(msg, sig).is_ok())
            .unwrap();
        assert!(!CompressedEdwardsY(sig[..32].try_into().unwrap()).decompress().unwrap().is_torsion_free());
        let good = SignedItem { key: &key.public, msg, signature: &sig };
        assert_eq!(mixed_in(good, true), Route::Batch);
    }

    #[test]
    fn routes_non_canonical_scalar_to_strict() {
        let signed = honest(1);
        let (key, msg, sig) = &signed[0];
        // s + ℓ: the same point equation, a non-canonical scalar.
        let mut malleated = *sig;
        let s = Scalar::from_canonical_bytes(sig[32..].try_into().unwrap()).unwrap();
        let mut carry = 0u16;
        for (i, l) in BASEPOINT_ORDER_BYTES.iter().enumerate() {
            let sum = u16::from(s.as_bytes()[i]) + u16::from(*l) + carry;
            malleated[32 + i] = sum as u8;
            carry = sum >> 8;
        }
        let bad = SignedItem { key: key.public(), msg, signature: &malleated };
        assert_eq!(mixed_in(bad, false), Route::Precheck);
    }

    #[test]
    fn routes_small_order_and_undecodable_r_to_strict() {
        let signed = honest(1);
        let (key, msg, sig) = &signed[0];
        for t in [EIGHT_TORSION[0], EIGHT_TORSION[1], EIGHT_TORSION[4]] {
            let mut bad_sig = *sig;
            bad_sig[..32].copy_from_slice(t.compress().as_bytes());
            let bad = SignedItem { key: key.public(), msg, signature: &bad_sig };
            assert_eq!(mixed_in(bad, false), Route::Precheck);
        }
        // y = 2 is not on the curve.
        let mut bad_sig = *sig;
        bad_sig[..32].copy_from_slice(&[2; 1].iter().copied().chain([0; 31]).collect::<Vec<u8>>());
        assert!(CompressedEdwardsY(bad_sig[..32].try_into().unwrap()).decompress().is_none());
        let bad = SignedItem { key: key.public(), msg, signature: &bad_sig };
        assert_eq!(mixed_in(bad, false), Route::Precheck);
    }

    #[test]
    fn routes_non_canonical_r_encoding_to_strict() {
        // y + p for a small y whose point has large order: it decompresses, but
        // compression never writes it, so strict rejects whatever the equation says.
        let non_canonical = (0u8..19)
            .map(|y| {
                let mut b = [0xff; 32];
                b[0] = 0xed + y;
                b[31] = 0x7f;
                b
            })
            .find(|b| CompressedEdwardsY(*b).decompress().is_some_and(|p| !p.is_small_order()))
            .expect("some y < 19 is on the curve with large order");
        let signed = honest(1);
        let (key, msg, sig) = &signed[0];
        let mut bad_sig = *sig;
        bad_sig[..32].copy_from_slice(&non_canonical);
        let bad = SignedItem { key: key.public(), msg, signature: &bad_sig };
        assert_eq!(mixed_in(bad, false), Route::Precheck);
    }

    #[test]
    fn a_bad_signature_sends_only_its_chunk_to_strict() {
        let signed = honest(48);
        let mut batch = items(&signed);
        batch[20].msg = b"ballots 813";
        let out = verify_many_with(&batch, &SMALL);
        for (i, (valid, route)) in out.valid.iter().zip(&out.routes).enumerate() {
            assert_eq!(*valid, i != 20, "signature {i}");
            let expected = if (16..32).contains(&i) { Route::EquationFallback } else { Route::Batch };
            assert_eq!(*route, expected, "signature {i}");
        }
    }

    #[test]
    fn few_signatures_are_verified_one_by_one() {
        let signed = honest(3);
        let mut batch = items(&signed);
        batch[1].msg = b"other";
        let out = verify_many_with(&batch, &BatchConfig::default());
        assert_eq!(out.valid, [true, false, true]);
        assert_eq!(out.routes, [Route::Unbatched; 3]);
        assert!(verify_many(&[]).is_empty());
    }

    #[test]
    fn multiplying_by_the_order_detects_every_torsion_point() {
        assert!(all_torsion_free(&[EdwardsPoint::identity(), ED25519_BASEPOINT_POINT]));
        for t in &EIGHT_TORSION[1..] {
            assert!(!all_torsion_free(&[ED25519_BASEPOINT_POINT + t]));
        }
    }

    #[test]
    fn canonical_y_is_below_p() {
        let p_minus_1 = {
            let mut b = [0xff; 32];
            b[0] = 0xec;
            b[31] = 0x7f;
            b
        };
        assert!(y_is_canonical(&p_minus_1));
        let mut signed = p_minus_1;
        signed[31] |= 0x80;
        assert!(y_is_canonical(&signed), "the sign bit is not part of y");
        for low in [0xed, 0xee, 0xff] {
            let mut b = p_minus_1;
            b[0] = low;
            assert!(!y_is_canonical(&b), "y = p + {}", low - 0xed);
        }
        assert!(y_is_canonical(&[0; 32]));
    }

    #[test]
    fn subset_sums_are_sums_of_the_chosen_points() {
        // The table lookup adds exactly the points whose bits are set: with
        // all E = B, a sum is [popcount]B, and over 128 tests the mean count is n/2.
        let signed = honest(13);
        let prepared: Vec<Prepared> =
            items(&signed).iter().enumerate().map(|(i, it)| Prepared::new(i, it).unwrap()).collect();
        let same: Vec<Prepared> = prepared.into_iter().map(|p| Prepared { e: ED25519_BASEPOINT_POINT, ..p }).collect();
        let mut rng = ChaCha20Rng::from_seed([1; 32]);
        let sums = random_subset_sums(&same, 128, &mut rng);
        let multiples: Vec<EdwardsPoint> = (0..=13u64).map(|c| EdwardsPoint::mul_base(&Scalar::from(c))).collect();
        let counts: Vec<usize> =
            sums.iter().map(|s| multiples.iter().position(|m| m == s).expect("a multiple of B")).collect();
        let mean = counts.iter().sum::<usize>() as f64 / 128.0;
        assert!((5.0..8.0).contains(&mean), "mean subset size {mean}");
    }

    #[test]
    fn ceil_log2_of_chunk_counts() {
        assert_eq!([0, 1, 2, 3, 4, 5, 64, 65].map(ceil_log2), [0, 0, 1, 2, 2, 3, 6, 7]);
    }

    #[test]
    fn random_scalars_have_the_asked_bits() {
        let mut rng = ChaCha20Rng::from_seed([2; 32]);
        for bits in [128, 131, 134] {
            let top = (0..200).map(|_| random_scalar(bits, &mut rng)).fold([0u8; 32], |mut acc, z| {
                acc.iter_mut().zip(z.as_bytes()).for_each(|(a, b)| *a |= b);
                acc
            });
            let set = top
                .iter()
                .enumerate()
                .map(|(i, b)| if *b == 0 { 0 } else { 8 * i as u32 + 8 - b.leading_zeros() })
                .max();
            assert_eq!(set, Some(bits), "highest bit set over 200 draws");
        }
    }

    /// ℓ, little-endian.
    const BASEPOINT_ORDER_BYTES: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];
}
