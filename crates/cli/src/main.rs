//! `shafaf`: the command-line side of Shafaf. Keys, a station device signing
//! its result, the authority publishing a release, anyone verifying one
//! offline, and the synthetic demo election. Parsing arguments and files is
//! done here; everything else is `shafaf-core`.

mod fsio;
mod report;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use shafaf_core::demo::{self, DemoOptions, Scale};
use shafaf_core::model::{Id, Role, Sha256Hex, StationResult};
use shafaf_core::publish::{self, RoleKeys};
use shafaf_core::verify::{verify_publication, Status, TrustAnchor};
use shafaf_core::{format, SecretKey};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

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
        #[arg(long, default_value_t = 0)]
        witness_threshold: u32,
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
        #[arg(long, default_value_t = 1)]
        version: u64,
        /// Issue time, RFC 3339; default now.
        #[arg(long, value_parser = parse_time)]
        issued: Option<OffsetDateTime>,
        /// Expiry, RFC 3339.
        #[arg(long, value_parser = parse_time)]
        expires: OffsetDateTime,
        #[arg(long)]
        out: PathBuf,
    },
    /// Audit a publication folder offline. Exit status 0 only when everything verifies.
    Verify {
        dir: PathBuf,
        /// The trust root's SHA-256 as the authority announced it.
        #[arg(long, conflicts_with = "trusted_root")]
        root_sha256: Option<String>,
        /// A trust root file obtained out of band; the publication's must be identical.
        #[arg(long)]
        trusted_root: Option<PathBuf>,
        /// Check as of this time (RFC 3339) instead of now.
        #[arg(long, value_parser = parse_time)]
        now: Option<OffsetDateTime>,
        /// Print the report as JSON.
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
    National,
}

fn parse_time(s: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(s, &Rfc3339).map_err(|e| format!("not an RFC 3339 time ({e}); e.g. 2027-06-19T00:00:00Z"))
}

fn main() -> ExitCode {
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
        Command::Root {
            election,
            root_keys,
            root_threshold,
            publisher_keys,
            publisher_threshold,
            witness_keys,
            witness_threshold,
            version,
            expires,
            signers,
            out,
        } => {
            let election = Id::new(election).context("--election")?;
            let load = |paths: &[PathBuf]| paths.iter().map(|p| fsio::read_public_key(p)).collect::<Result<Vec<_>>>();
            let (root, publisher, witness) = (load(&root_keys)?, load(&publisher_keys)?, load(&witness_keys)?);
            let signers = signers.iter().map(|p| fsio::read_secret_key(p)).collect::<Result<Vec<_>>>()?;
            let roles = [
                RoleKeys { role: Role::Root, keys: root.iter().collect(), threshold: root_threshold },
                RoleKeys { role: Role::Publisher, keys: publisher.iter().collect(), threshold: publisher_threshold },
                RoleKeys { role: Role::Witness, keys: witness.iter().collect(), threshold: witness_threshold },
            ];
            let signer_refs: Vec<&SecretKey> = signers.iter().collect();
            let (bytes, sigs) = publish::make_root(&election, version, expires, &roles, &signer_refs)?;
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
        Command::Publish { draft, root, keys, version, issued, expires, out } => {
            let draft = fsio::read_draft(&draft)?;
            let root_bytes = fsio::read(&root.join(format::ROOT))?;
            let root_sigs = fsio::read(&root.join(format::ROOT_SIGS))?;
            let keys = keys.iter().map(|p| fsio::read_secret_key(p)).collect::<Result<Vec<_>>>()?;
            let key_refs: Vec<&SecretKey> = keys.iter().collect();
            let params = publish::ReleaseParams { version, issued: issued.unwrap_or_else(now_second), expires };
            let publication = publish::publish(&draft, &root_bytes, &root_sigs, &key_refs, &params)?;
            fsio::write_publication(&out, &publication)?;
            println!("published release {version} to {} ({} files)", out.display(), publication.len());
            Ok(ExitCode::SUCCESS)
        }
        Command::Verify { dir, root_sha256, trusted_root, now, json } => {
            let anchor = match (root_sha256, trusted_root) {
                (Some(hex), _) => TrustAnchor::pinned(
                    Sha256Hex::from_hex(hex.trim())
                        .with_context(|| format!("--root-sha256 {hex}: expected 64 lowercase hex digits"))?,
                ),
                (None, Some(path)) => TrustAnchor::pinned(Sha256Hex::of(&fsio::read(&path)?)),
                (None, None) => TrustAnchor::unpinned(),
            };
            let publication = fsio::read_publication(&dir)?;
            let now = now.unwrap_or_else(OffsetDateTime::now_utc);
            let outcome = verify_publication(&publication, &anchor, now);
            let status = match &outcome {
                Ok(v) => v.status(),
                Err(f) => f.status(),
            };
            if json {
                println!("{}", report::json(&dir, &anchor, now, &outcome)?);
            } else {
                print!("{}", report::text(&dir, &anchor, now, &outcome));
            }
            Ok(if status == Status::Verified { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Demo { out, seed, scale, geo, tamper, keys } => {
            let geo = geo.unwrap_or_else(default_geo);
            let input = fsio::read_geo(&geo)?;
            let scale = match scale {
                DemoScale::Lorestan => Scale::Lorestan,
                DemoScale::National => Scale::National,
            };
            let demo = demo::generate(&input, &DemoOptions { seed, scale, tamper })?;
            fsio::write_publication(&out, &demo.publication)?;
            let keys_dir = keys.unwrap_or_else(|| sibling(&out, "keys"));
            fsio::write_demo_keys(&keys_dir, &demo)?;
            println!(
                "wrote the DEMO election to {} ({} files); trust root SHA-256 {}; demo keys and anomaly list in {}",
                out.display(),
                demo.publication.len(),
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
