//! `shafaf`: the command-line side of Shafaf. Keys, a station device signing
//! its result, the authority publishing a release, anyone verifying one
//! offline, and the synthetic demo election. Parsing arguments and files is
//! done here; everything else is `shafaf-core`.

// A `Finding` is the error of the core's checks: large, rare, kept whole (as in the core).
#![allow(clippy::result_large_err)]

mod check_app;
mod check_sheet;
mod fsio;
mod report;
mod sheet;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use shafaf_core::demo::{self, DemoOptions, Scale, SequenceOptions};
use shafaf_core::model::{Id, Phase, Role, Sha256Hex, StationResult};
use shafaf_core::publish::{self, LogParams, RoleKeys};
use shafaf_core::verify::{verify_publication_reading, Failure, LogPolicy, StationResults, Status, TrustAnchor};
use shafaf_core::{format, SecretKey};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

mod log_cmd;

#[derive(Parser)]
#[command(name = "shafaf", version, about = "Publish and verify signed election results")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Make an Ed25519 key pair: PREFIX.key (PKCS#8 PEM, owner-only) and PREFIX.pub.pem.
    Keygen {
        /// Path prefix of the two files written.
        #[arg(long)]
        out: PathBuf,
        /// What the key is for (recorded in nothing but your file names; printed for the record).
        #[arg(long, value_enum, default_value = "device")]
        role: KeyRole,
    },
    /// Write and sign a trust root: root.json and root.json.sigs in --out.
    Root {
        #[arg(long)]
        election: String,
        /// Root role public keys (PEM); repeat.
        #[arg(long = "root-key", required = true)]
        root_keys: Vec<PathBuf>,
        #[arg(long, default_value_t = 1)]
        root_threshold: u32,
        /// Publisher role public keys (PEM); repeat.
        #[arg(long = "publisher-key", required = true)]
        publisher_keys: Vec<PathBuf>,
        #[arg(long, default_value_t = 1)]
        publisher_threshold: u32,
        /// Witness role public keys (PEM); repeat.
        #[arg(long = "witness-key")]
        witness_keys: Vec<PathBuf>,
        /// The witnesses' names, in the order of --witness-key (e.g. example.org/observer): what readers are shown.
        #[arg(long = "witness-name")]
        witness_names: Vec<String>,
        #[arg(long, default_value_t = 0)]
        witness_threshold: u32,
        /// The publishers' names in checkpoints, in the order of --publisher-key (default: their key ids).
        #[arg(long = "publisher-name")]
        publisher_names: Vec<String>,
        /// Timestamp role public keys (PEM), which sign latest.json; repeat. Without any, publishers sign it.
        #[arg(long = "timestamp-key")]
        timestamp_keys: Vec<PathBuf>,
        #[arg(long, default_value_t = 1)]
        timestamp_threshold: u32,
        #[arg(long, default_value_t = 1)]
        version: u32,
        /// Expiry, RFC 3339 (e.g. 2027-06-19T00:00:00Z).
        #[arg(long, value_parser = parse_time)]
        expires: OffsetDateTime,
        /// Root role secret keys that sign the root (at least the threshold); repeat.
        #[arg(long = "sign", required = true)]
        signers: Vec<PathBuf>,
        #[arg(long)]
        out: PathBuf,
    },
    /// What a station device does: sign its result. Prints one results line.
    SignResult {
        /// The device's secret key (PKCS#8 PEM).
        #[arg(long)]
        key: PathBuf,
        /// The station result (JSON, type shafaf/station-result/v1).
        #[arg(long)]
        result: PathBuf,
        /// Write the line here instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Build and sign a release folder from a draft (see docs/FORMAT.md, "Publishing").
    Publish {
        /// The draft folder: election.json, geo/, provinces/IR-xx/{contests.json,stations.json,results/*.jsonl}.
        #[arg(long)]
        draft: PathBuf,
        /// The signed trust root folder (root.json and root.json.sigs).
        #[arg(long)]
        root: PathBuf,
        /// Publisher secret keys (PKCS#8 PEM), at least the threshold; repeat.
        #[arg(long = "key", required = true)]
        keys: Vec<PathBuf>,
        /// The release's version: 1 for a new log, the log's size + 1 with --previous (the default).
        #[arg(long)]
        version: Option<u64>,
        /// Publish the setup release: release 1 of a new log, before the polls open (the election's
        /// `polls_open`): the councils, candidates and station registry with device keys, without
        /// the draft's results. Have it witnessed before the polls open; every later release must
        /// keep its registry and candidate lists.
        #[arg(long, conflicts_with = "previous")]
        setup: bool,
        /// Issue time, RFC 3339; default now.
        #[arg(long, value_parser = parse_time)]
        issued: Option<OffsetDateTime>,
        /// Expiry, RFC 3339.
        #[arg(long, value_parser = parse_time)]
        expires: OffsetDateTime,
        /// The publication so far: the new release is appended to its release log, and all its files are kept.
        /// May be the same folder as --out (append in place).
        #[arg(long)]
        previous: Option<PathBuf>,
        /// The origin line of a new log (default shafaf/<election>).
        #[arg(long)]
        log_origin: Option<String>,
        /// Keys that sign latest.json: the root's timestamp role (or, if it has none, publisher keys
        /// given with --key are used); repeat.
        #[arg(long = "timestamp-key")]
        timestamp_keys: Vec<PathBuf>,
        /// How long latest.json stays valid (e.g. 10m, 2h); re-sign it with `shafaf timestamp` before then.
        #[arg(long, value_parser = parse_duration, default_value = "1h")]
        pointer_valid_for: Duration,
        #[arg(long)]
        out: PathBuf,
    },
    /// Print a station's sheet: what its device posts at the station when the polls close (docs/FORMAT.md,
    /// "The station sheet"): PREFIX.svg to print, with the result in Persian and the QR codes that carry
    /// the signed results line; PREFIX.png, the same sheet drawn at 12 pixels a millimetre (about 300 dpi).
    Sheet {
        /// The publication: the station's line in its current release, and the council's names.
        #[arg(long)]
        publication: PathBuf,
        /// The station.
        #[arg(long)]
        station: String,
        /// The results line to print instead of the published one (a file holding one line).
        #[arg(long)]
        line: Option<PathBuf>,
        #[arg(long)]
        out: PathBuf,
    },
    /// Check that the app served at URL is exactly a build: the one in --dist
    /// (`cargo xtask dist` of this source) or the one --hash names.
    CheckApp {
        /// Where the app is served (`https://results.example/`).
        url: String,
        /// A local build of this source to compare with.
        #[arg(long)]
        dist: Option<PathBuf>,
        /// The SHA-256 of the build's app-files.txt, as its /source page and release notes give it.
        #[arg(long)]
        hash: Option<String>,
    },
    /// As an independent witness: check a publication's release log and cosign its checkpoint.
    Witness {
        /// The witness's secret key (PKCS#8 PEM); it must be a witness key of the trust root.
        #[arg(long)]
        key: PathBuf,
        #[arg(long)]
        publication: PathBuf,
        /// The name the trust root gives this key (checked; the root decides it).
        #[arg(long)]
        name: Option<String>,
        /// The checkpoint this witness cosigned last for this log (checked for consistency, then replaced);
        /// default KEY.<origin>.checkpoint beside the key.
        #[arg(long)]
        state: Option<PathBuf>,
        #[command(flatten)]
        anchor: AnchorArgs,
        /// The time to check and cosign at (RFC 3339) instead of now.
        #[arg(long, value_parser = parse_time)]
        now: Option<OffsetDateTime>,
    },
    /// Re-sign latest.json, the short-lived pointer to the current release (the timestamp role's online job).
    Timestamp {
        /// Timestamp role secret keys (or publisher keys when the root has no timestamp role); repeat.
        #[arg(long = "key", required = true)]
        keys: Vec<PathBuf>,
        #[arg(long)]
        publication: PathBuf,
        /// How long the pointer stays valid (e.g. 10m, 2h).
        #[arg(long, value_parser = parse_duration, default_value = "1h", conflicts_with = "expires")]
        valid_for: Duration,
        /// An exact expiry (RFC 3339) instead of --valid-for; a past one makes a frozen pointer, for tests.
        #[arg(long, value_parser = parse_time)]
        expires: Option<OffsetDateTime>,
        /// Issue time (RFC 3339) instead of now.
        #[arg(long, value_parser = parse_time)]
        now: Option<OffsetDateTime>,
    },
    /// List a publication's releases, who signed and witnessed each, and what changed between them.
    History {
        dir: PathBuf,
        #[command(flatten)]
        anchor: AnchorArgs,
        /// Compare this release with --to (default: each release with the one before).
        #[arg(long, requires = "to")]
        from: Option<u64>,
        #[arg(long, requires = "from")]
        to: Option<u64>,
        #[arg(long)]
        json: bool,
    },
    /// Audit a publication folder offline. Exit status 0 only when everything verifies.
    Verify {
        dir: PathBuf,
        #[command(flatten)]
        anchor: AnchorArgs,
        /// Check as of this time (RFC 3339) instead of now.
        #[arg(long, value_parser = parse_time)]
        now: Option<OffsetDateTime>,
        /// Prove that this publication's release log extends an earlier one: a publication folder
        /// (its checkpoint) or a saved checkpoint file. A rollback or a fork fails.
        #[arg(long)]
        extends: Option<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check a station sheet against a publication, as the app's /sheet view does: its QR texts, one per
    /// line (as `zbarimg --raw` prints them). Says MATCHES (exit 0), DIFFERS, CORRECTED, UNPUBLISHED,
    /// WRONG DEVICE or INVALID (exit 1); the publication must verify first.
    CheckSheet {
        dir: PathBuf,
        /// The sheet's QR texts, one per line; `-` for standard input.
        #[arg(long)]
        parts: PathBuf,
        #[command(flatten)]
        anchor: AnchorArgs,
        /// Check as of this time (RFC 3339) instead of now.
        #[arg(long, value_parser = parse_time)]
        now: Option<OffsetDateTime>,
        /// Print the verdict as JSON.
        #[arg(long)]
        json: bool,
        /// When the publication contradicts the sheet, write the evidence here (see `shafaf evidence verify`).
        #[arg(long)]
        evidence: Option<PathBuf>,
    },
    /// Check an evidence file (from `check-sheet --evidence` or the app's /sheet view) with nothing but the
    /// pinned trust root: a station's device and the authority's release that disagree about its result.
    Evidence {
        /// `verify FILE`; the word `verify` may be left out.
        #[arg(value_name = "[verify] FILE", num_args = 1..=2, required = true)]
        file: Vec<PathBuf>,
        #[command(flatten)]
        anchor: AnchorArgs,
        /// Check as of this time (RFC 3339) instead of now.
        #[arg(long, value_parser = parse_time)]
        now: Option<OffsetDateTime>,
        /// Print what it proves as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Generate a synthetic, signed demo election (not real results).
    Demo {
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, value_enum, default_value = "lorestan")]
        scale: DemoScale,
        /// The geo data folder (provinces.geojson, counties/, *-2016.csv).
        #[arg(long, env = "SHAFAF_GEO")]
        geo: Option<PathBuf>,
        /// Also inject impossible totals and an edited published total.
        #[arg(long)]
        tamper: bool,
        /// Where to write the demo's secret keys and anomaly list; default OUT.keys beside OUT.
        #[arg(long)]
        keys: Option<PathBuf>,
        /// Election night as releases in one log, after the setup (release 1, before the polls open, no results):
        /// 1 complete; 2 partial, complete; 3 partial, complete, correction.
        #[arg(long, default_value_t = 1)]
        releases: u32,
        /// Write the folder as it stood after this many releases, the setup counting as the first (default: all).
        #[arg(long)]
        release_step: Option<u32>,
        /// Witness cosignatures the demo's root requires (its 2 witnesses cosign every checkpoint).
        #[arg(long, default_value_t = 0)]
        witness_threshold: u32,
        /// When latest.json expires (RFC 3339); default when the releases expire.
        #[arg(long, value_parser = parse_time)]
        pointer_expires: Option<OffsetDateTime>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum KeyRole {
    Root,
    Publisher,
    Witness,
    Device,
}

#[derive(Clone, Copy, ValueEnum)]
enum DemoScale {
    Lorestan,
    West,
    National,
}

fn parse_time(s: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(s, &Rfc3339).map_err(|e| format!("not an RFC 3339 time ({e}); e.g. 2027-06-19T00:00:00Z"))
}

/// `90s`, `10m`, `2h`, `7d`.
fn parse_duration(s: &str) -> Result<Duration, String> {
    let err = || format!("not a duration: {s:?} (e.g. 90s, 10m, 2h, 7d)");
    let (n, unit) = s.split_at(s.len().saturating_sub(1));
    let n: i64 = n.parse().map_err(|_| err())?;
    match unit {
        "s" => Ok(Duration::seconds(n)),
        "m" => Ok(Duration::minutes(n)),
        "h" => Ok(Duration::hours(n)),
        "d" => Ok(Duration::days(n)),
        _ => Err(err()),
    }
    .and_then(|d| if d.is_positive() { Ok(d) } else { Err(err()) })
}

/// What the reader trusts: the root's fingerprint as announced, or a root
/// file obtained out of band; with neither, nothing pins the root (unpinned).
#[derive(clap::Args)]
struct AnchorArgs {
    /// The trust root's SHA-256 as the authority announced it.
    #[arg(long, conflicts_with = "trusted_root")]
    root_sha256: Option<String>,
    /// A trust root file obtained out of band; the one checked must be identical.
    #[arg(long)]
    trusted_root: Option<PathBuf>,
}

impl AnchorArgs {
    /// The trust anchor from `--root-sha256` or `--trusted-root`.
    fn resolve(self) -> Result<TrustAnchor> {
        Ok(match (self.root_sha256, self.trusted_root) {
            (Some(hex), _) => TrustAnchor::pinned(
                Sha256Hex::from_hex(hex.trim())
                    .with_context(|| format!("--root-sha256 {hex}: expected 64 lowercase hex digits"))?,
            ),
            (None, Some(path)) => TrustAnchor::pinned(Sha256Hex::of(&fsio::read(&path)?)),
            (None, None) => TrustAnchor::unpinned(),
        })
    }
}

/// `shafaf verify` allocates for every line of a country's results on all
/// cores at once; mimalloc's per-thread heaps serve that with less CPU and
/// fewer page faults than the system allocator (with the release profile's
/// LTO, about 8% less CPU on the national demo: `cargo xtask bench --only native`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its `mi_option_e` in `mimalloc.h`,
/// the same in v2 and v3; libmimalloc-sys names the options around it,
/// `mi_option_eager_commit_delay` = 14 and `mi_option_use_numa_nodes` = 16,
/// but not this one).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keeps the memory mimalloc frees for the next allocation instead of giving
/// it back to the system after a while: `shafaf verify` frees each
/// province's files and results once it verified them, and the next
/// province's then came back as fresh pages that the kernel zeroed first
/// (13,500 page faults and 0.2–0.5 s of system time on the national demo;
/// 380 faults and 0.1 s with this). The command is short-lived; its peak
/// memory is unchanged.
fn keep_freed_memory() {
    // SAFETY: mi_option_set only stores the value of a known option.
    #[allow(unsafe_code)]
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1);
    }
}

fn main() -> ExitCode {
    keep_freed_memory();
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("shafaf: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(command: Command) -> Result<ExitCode> {
    match command {
        Command::Keygen { out, role } => keygen(&out, role),
        Command::CheckApp { url, dist, hash } => Ok(if check_app::run(&url, dist.as_deref(), hash.as_deref())? {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }),
        Command::Root {
            election,
            root_keys,
            root_threshold,
            publisher_keys,
            publisher_threshold,
            witness_keys,
            witness_names,
            witness_threshold,
            publisher_names,
            timestamp_keys,
            timestamp_threshold,
            version,
            expires,
            signers,
            out,
        } => {
            let election = Id::new(election).context("--election")?;
            let load = |paths: &[PathBuf]| paths.iter().map(|p| fsio::read_public_key(p)).collect::<Result<Vec<_>>>();
            let (root, publisher, witness) = (load(&root_keys)?, load(&publisher_keys)?, load(&witness_keys)?);
            let timestamp = load(&timestamp_keys)?;
            let signers = signers.iter().map(|p| fsio::read_secret_key(p)).collect::<Result<Vec<_>>>()?;
            let mut roles = vec![
                RoleKeys { role: Role::Root, keys: root.iter().collect(), threshold: root_threshold },
                RoleKeys { role: Role::Publisher, keys: publisher.iter().collect(), threshold: publisher_threshold },
                RoleKeys { role: Role::Witness, keys: witness.iter().collect(), threshold: witness_threshold },
            ];
            if !timestamp.is_empty() {
                roles.push(RoleKeys {
                    role: Role::Timestamp,
                    keys: timestamp.iter().collect(),
                    threshold: timestamp_threshold,
                });
            }
            let mut names = Vec::new();
            for (what, keys, given) in
                [("witness", &witness, &witness_names), ("publisher", &publisher, &publisher_names)]
            {
                if !given.is_empty() && given.len() != keys.len() {
                    bail!(
                        "{} --{what}-name for {} --{what}-key: give one name per key, in order",
                        given.len(),
                        keys.len()
                    );
                }
                names.extend(keys.iter().map(|k| k.id()).zip(given.iter().cloned()));
            }
            let signer_refs: Vec<&SecretKey> = signers.iter().collect();
            let (bytes, sigs) = publish::make_root_named(&election, version, expires, &roles, &names, &signer_refs)?;
            // Check it the way every reader will, before anyone relies on it.
            shafaf_core::verify::verify_root(&bytes, &sigs, &TrustAnchor::unpinned(), OffsetDateTime::now_utc())
                .map_err(|f| anyhow::anyhow!("the new root does not verify:\n{}", report::list(&f)))?;
            fsio::create_dir(&out)?;
            fsio::write(&out.join(format::ROOT), &bytes)?;
            fsio::write(&out.join(format::ROOT_SIGS), &sigs)?;
            println!(
                "wrote {}; its SHA-256 (announce this): {}",
                out.join(format::ROOT).display(),
                Sha256Hex::of(&bytes)
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::SignResult { key, result, out } => {
            let device = fsio::read_secret_key(&key)?;
            let bytes = fsio::read(&result)?;
            let name = result.display().to_string();
            let parsed: StationResult = format::parse_json(&name, &bytes, 1024 * 1024)?;
            let line = publish::sign_result(&parsed, &device)?;
            match out {
                Some(path) => fsio::write(&path, format!("{line}\n").as_bytes())?,
                None => println!("{line}"),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Publish {
            draft,
            root,
            keys,
            version,
            setup,
            issued,
            expires,
            previous,
            log_origin,
            timestamp_keys,
            pointer_valid_for,
            out,
        } => {
            let mut draft = fsio::read_draft(&draft)?;
            if setup {
                draft.provinces.iter_mut().for_each(|p| p.results.clear());
            }
            let root_bytes = fsio::read(&root.join(format::ROOT))?;
            let root_sigs = fsio::read(&root.join(format::ROOT_SIGS))?;
            let keys = keys.iter().map(|p| fsio::read_secret_key(p)).collect::<Result<Vec<_>>>()?;
            let key_refs: Vec<&SecretKey> = keys.iter().collect();
            let timestamp = timestamp_keys.iter().map(|p| fsio::read_secret_key(p)).collect::<Result<Vec<_>>>()?;
            let previous = previous.map(|dir| fsio::read_publication(&dir)).transpose()?;
            let size = match &previous {
                Some(p) => log_cmd::log_size(p)?,
                None => 0,
            };
            let version = version.unwrap_or(size + 1);
            let issued = issued.unwrap_or_else(now_second);
            let phase = if setup { Phase::Setup } else { Phase::Results };
            let params = publish::ReleaseParams { version, phase, issued, expires };
            let pointer_signers: Vec<&SecretKey> =
                if timestamp.is_empty() { key_refs.clone() } else { timestamp.iter().collect() };
            let log = LogParams {
                previous: previous.as_ref(),
                origin: log_origin,
                witnesses: &[],
                pointer: Some((&pointer_signers, issued + pointer_valid_for)),
            };
            let publication = match publish::publish_release(&draft, &root_bytes, &root_sigs, &key_refs, &params, &log)
            {
                Err(e @ publish::PublishError::NotInRole { role: Role::Timestamp, .. }) if timestamp.is_empty() => {
                    bail!("{e}: the trust root has a timestamp role, so give its key with --timestamp-key")
                }
                other => other?,
            };
            fsio::write_publication(&out, &publication)?;
            println!(
                "published {} release {version} to {} ({} files); the release log now holds {version} release(s); \
                 latest.json expires at {} (re-sign it with `shafaf timestamp`){}",
                phase.as_str(),
                out.display(),
                publication.len(),
                (issued + pointer_valid_for).format(&Rfc3339).unwrap_or_default(),
                if setup {
                    format!(
                        "; the polls open at {}: have the witnesses cosign it before then",
                        draft.election.polls_open.format(&Rfc3339).unwrap_or_default()
                    )
                } else {
                    String::new()
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Sheet { publication, station, line, out } => {
            let publication = fsio::read_publication(&publication)?;
            let line = match line {
                Some(path) => String::from_utf8(fsio::read(&path)?)
                    .with_context(|| format!("{} is not UTF-8 text", path.display()))?
                    .trim_end_matches('\n')
                    .to_owned(),
                None => sheet::line_of(&publication, &station)
                    .with_context(|| format!("station `{station}` has no result in the current release"))?,
            };
            let contest = shafaf_core::sheet::read(&shafaf_core::sheet::encode(&line))
                .ok()
                .and_then(|s| sheet::contest_of(&publication, s.result.contest.as_str()));
            let read = sheet::write(&out, &line, contest.as_ref())?;
            println!(
                "wrote the sheet of station `{}` ({} QR part(s)) to {} and {}",
                read.result.station,
                shafaf_core::sheet::encode(&line).len(),
                out.with_extension("svg").display(),
                out.with_extension("png").display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::CheckSheet { dir, parts, anchor, now, json, evidence } => {
            let anchor = anchor.resolve()?;
            let now = now.unwrap_or_else(OffsetDateTime::now_utc);
            check_sheet::run(&dir, &parts, &anchor, now, json, evidence.as_deref())
        }
        Command::Evidence { file, anchor, now, json } => {
            let file = match file.as_slice() {
                [file] => file.clone(),
                [verb, file] if verb.as_os_str() == "verify" => file.clone(),
                _ => anyhow::bail!("usage: shafaf evidence [verify] FILE"),
            };
            let anchor = anchor.resolve()?;
            check_sheet::verify_evidence(&file, &anchor, now.unwrap_or_else(OffsetDateTime::now_utc), json)
        }
        Command::Witness { key, publication, name, state, anchor, now } => {
            let anchor = anchor.resolve()?;
            let now = now.unwrap_or_else(now_second);
            log_cmd::witness(&key, &publication, name.as_deref(), state, &anchor, now)
        }
        Command::Timestamp { keys, publication, valid_for, expires, now } => {
            let now = now.unwrap_or_else(now_second);
            log_cmd::timestamp(&keys, &publication, now, expires.unwrap_or(now + valid_for))
        }
        Command::History { dir, anchor, from, to, json } => {
            let anchor = anchor.resolve()?;
            log_cmd::history(&dir, &anchor, from.zip(to), json)
        }
        Command::Verify { dir, anchor, now, extends, json } => {
            let anchor = anchor.resolve()?;
            let folder = fsio::Folder::open(&dir)?;
            let publication = &folder.publication;
            let now = now.unwrap_or_else(OffsetDateTime::now_utc);
            // Whenever the release names a log, its checkpoint, proof and pointer are required.
            let mut policy = LogPolicy { require_log: true, ..LogPolicy::default() };
            let mut early = Vec::new();
            if let Some(old) = &extends {
                match log_cmd::held_checkpoint(old, publication, &anchor, now) {
                    Ok(held) => policy.held = Some(held),
                    Err(f) => early.push(f),
                }
            }
            // The report names councils, not stations: no station's result is kept.
            let mut outcome =
                verify_publication_reading(publication, &folder, &anchor, now, &policy, StationResults::Drop);
            let mut history = None;
            if early.is_empty() {
                if let Ok(v) = &outcome {
                    if v.audit.log.is_some() {
                        match log_cmd::whole_log(&folder, &anchor, now) {
                            Ok(h) => history = Some(h),
                            Err(f) => early.extend(f),
                        }
                    }
                }
            }
            if !early.is_empty() {
                let audit = match &outcome {
                    Ok(v) => v.audit.clone(),
                    Err(f) => (*f.audit).clone(),
                };
                if let Err(f) = &outcome {
                    early.extend(f.findings.iter().cloned());
                }
                outcome = Err(Failure { findings: early, audit: Box::new(audit) });
            }
            let status = match &outcome {
                Ok(v) => v.status(),
                Err(f) => f.status(),
            };
            let log = report::LogReport { history: history.as_ref(), extends: extends.as_deref() };
            if json {
                let out = std::io::BufWriter::new(std::io::stdout().lock());
                report::json(out, &dir, &anchor, now, &outcome, &log).context("cannot write the report")?;
            } else {
                print!("{}", report::text(&dir, &anchor, now, &outcome, &log));
            }
            // The process ends here: freeing a country's parsed results one by
            // one would take longer than the report (a tenth of a second).
            std::mem::forget(outcome);
            std::mem::forget(folder);
            Ok(if status == Status::Verified { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Demo {
            out,
            seed,
            scale,
            geo,
            tamper,
            keys,
            releases,
            release_step,
            witness_threshold,
            pointer_expires,
        } => {
            let geo = geo.unwrap_or_else(default_geo);
            let input = fsio::read_geo(&geo)?;
            let scale = match scale {
                DemoScale::Lorestan => Scale::Lorestan,
                DemoScale::West => Scale::West,
                DemoScale::National => Scale::National,
            };
            let sequence = SequenceOptions { releases, step: release_step, witness_threshold, pointer_expires };
            let demo = demo::generate_sequence(&input, &DemoOptions { seed, scale, tamper }, &sequence)?;
            fsio::write_publication(&out, &demo.publication)?;
            let keys_dir = keys.unwrap_or_else(|| sibling(&out, "keys"));
            fsio::write_demo_keys(&keys_dir, &demo)?;
            let sheets = keys_dir.join("sheets");
            fsio::create_dir(&sheets)?;
            for s in &demo.sheets {
                sheet::write(
                    &sheets.join(&s.name),
                    &s.line,
                    sheet::contest_of(&demo.publication, &s.contest).as_ref(),
                )?;
            }
            let list = serde_json::to_vec_pretty(&demo.sheets).context("cannot serialise the sheet list")?;
            fsio::write(&sheets.join("sheets.json"), &list)?;
            println!(
                "wrote the DEMO election to {} ({} files, release {} of {}, the setup first); trust root SHA-256 {}; \
                 demo keys, anomaly list and release list in {}",
                out.display(),
                demo.publication.len(),
                demo.releases.len(),
                releases + 1,
                demo.root_sha256,
                keys_dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn keygen(out: &Path, role: KeyRole) -> Result<ExitCode> {
    let mut seed = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut seed);
    let key = SecretKey::from_seed(&seed);
    let secret_path = PathBuf::from(format!("{}.key", out.display()));
    let public_path = PathBuf::from(format!("{}.pub.pem", out.display()));
    fsio::write_secret(&secret_path, key.to_pkcs8_pem()?.as_bytes())?;
    fsio::write(&public_path, key.public().to_pem().as_bytes())?;
    let role = match role {
        KeyRole::Root => "root",
        KeyRole::Publisher => "publisher",
        KeyRole::Witness => "witness",
        KeyRole::Device => "device",
    };
    println!(
        "{role} key {}\n  secret: {} (owner read/write only)\n  public: {}\n  public (base64 SPKI, as in root.json and stations files): {}",
        key.public().id(),
        secret_path.display(),
        public_path.display(),
        key.public().to_spki_base64()
    );
    Ok(ExitCode::SUCCESS)
}

fn now_second() -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    now.replace_nanosecond(0).unwrap_or(now)
}

/// `../shared/geo` beside the repository when run from it, else beside the current folder.
fn default_geo() -> PathBuf {
    let from_repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/geo");
    if from_repo.is_dir() {
        from_repo
    } else {
        PathBuf::from("../shared/geo")
    }
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "demo".into());
    path.with_file_name(format!("{name}.{suffix}"))
}
