//! The dist as a real host serves it: Debian's nginx with the `nginx.conf`
//! that `cargo xtask dist` writes (only its port and folder changed), the
//! demo publication beside the app, and the end-to-end tests in
//! `tests/e2e/hosted/` run against it. What `cargo xtask serve` does is
//! our own server's idea of the headers; this is the deployer's file.

use std::fs;
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::exec::{self, command};
use crate::paths::Paths;
use crate::site::{self, DemoSpec, Scale};
use crate::tools::{CHROMIUM, NGINX};

pub fn nginx(paths: &Paths) -> Result<()> {
    let spec = DemoSpec { scale: Scale::Lorestan, seed: 1, geo: paths.geo() };
    let cli = site::build_cli(paths)?;
    let demo = site::demo(paths, &spec, &cli)?;
    let pin = shafaf_core::model::Sha256Hex::of(&fs::read(demo.publication.join("root.json"))?).to_hex();

    let base = paths.work().join("nginx");
    if base.exists() {
        fs::remove_dir_all(&base).with_context(|| format!("removing {}", base.display()))?;
    }
    fs::create_dir_all(base.join("temp"))?;
    let site = base.join("site");
    let xtask = std::env::current_exe().context("finding xtask's own program")?;
    exec::run(
        command(xtask)
            .args(["dist", "--out"])
            .arg(&site)
            .args(["--publication", "publication/", "--root-sha256", &pin])
            .current_dir(&paths.root),
    )?;
    std::os::unix::fs::symlink(&demo.publication, site.join("publication"))
        .context("linking the demo publication beside the app")?;

    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let server = fs::read_to_string(site.join("nginx.conf"))?;
    for line in ["listen 80;", "root /srv/shafaf;"] {
        if !server.contains(line) {
            bail!("the dist's nginx.conf has no `{line}` to point at the test's port and folder");
        }
    }
    let server = server
        .replace("listen 80;", &format!("listen 127.0.0.1:{port};"))
        .replace("root /srv/shafaf;", &format!("root {};", site.display()));
    // The dist's server block inside the `http` block of a minimal nginx.conf,
    // as a deployer includes it in theirs.
    fs::copy("/etc/nginx/mime.types", base.join("mime.types")).context("reading nginx's mime.types")?;
    let temp = base.join("temp");
    let conf = format!(
        "daemon off;\nuser root;\npid {pid};\nerror_log {log};\nevents {{}}\nhttp {{\n    include mime.types;\n    \
         access_log off;\n    client_body_temp_path {t}/body;\n    proxy_temp_path {t}/proxy;\n    fastcgi_temp_path \
         {t}/fastcgi;\n    uwsgi_temp_path {t}/uwsgi;\n    scgi_temp_path {t}/scgi;\n{server}}}\n",
        pid = base.join("nginx.pid").display(),
        log = base.join("error.log").display(),
        t = temp.display(),
    );
    let conf_path = base.join("nginx-test.conf");
    fs::write(&conf_path, conf)?;
    exec::run(command(NGINX).arg("-t").arg("-p").arg(&base).arg("-c").arg(&conf_path))?;
    let mut nginx =
        Running(Command::new(NGINX).arg("-p").arg(&base).arg("-c").arg(&conf_path).spawn().context("starting nginx")?);
    wait_for_port(port, &mut nginx.0)?;
    let url = format!("http://127.0.0.1:{port}/");
    println!("    nginx serves the dist on {url}");
    let tests = paths.root.join("tests").join("e2e").join("hosted").join("nginx.test.mjs");
    let result = exec::run(
        command("node")
            .args(["--test", "--test-reporter=spec"])
            .arg(&tests)
            .current_dir(&paths.root)
            .env("SHAFAF_BASE_URL", &url)
            .env("SHAFAF_PUBLICATION_DIR", &demo.publication)
            .env("SHAFAF_CHROMIUM", CHROMIUM),
    );
    if result.is_err() {
        if let Ok(log) = fs::read_to_string(base.join("error.log")) {
            eprintln!("    nginx's error log:\n{log}");
        }
    }
    drop(nginx);
    result
}

/// nginx, stopped when dropped: asked to stop (SIGTERM), which stops its
/// workers too; killed outright, the master would leave them listening.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(pid) = i32::try_from(self.0.id()) {
            // SAFETY: kill(2) only sends a signal to the child we started.
            unsafe { libc::kill(pid, libc::SIGTERM) };
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(5) {
                if matches!(self.0.try_wait(), Ok(Some(_))) {
                    return;
                }
                thread::sleep(Duration::from_millis(50));
            }
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_for_port(port: u16, child: &mut Child) -> Result<()> {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        if let Some(status) = child.try_wait()? {
            bail!("nginx stopped ({status}) before it listened on port {port}");
        }
        thread::sleep(Duration::from_millis(100));
    }
    bail!("nginx did not listen on port {port} within 20 s")
}
