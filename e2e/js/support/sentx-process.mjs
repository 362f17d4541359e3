// Starts a SentX local server of its own (java -jar) for a test file that needs settings the shared
// server of `./sentx test` does not have (an upstream, short timeouts). The java binary and the jar
// come from SENTX_JAVA and SENTX_SERVER_JAR, which `./sentx test` sets.
// Lives outside test/ because Node's runner treats every .mjs under test/ as a test file.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';

const DEFAULT_JVM_OPTS = ['-XX:+UseSerialGC', '-XX:+ExitOnOutOfMemoryError'];

/** The value of `name`, or an Error that says how to set it. */
function required(name, what) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} must be set to ${what} (./sentx test sets it); ` +
      'e.g. SENTX_JAVA=$JAVA_HOME/bin/java SENTX_SERVER_JAR=local-server/target/sentx-local-server.jar');
  }
  if (!existsSync(value)) throw new Error(`${name}=${value} does not exist`);
  return value;
}

/** A loopback port nothing listens on right now. */
export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts the server with `env` (SENTX_PORT is chosen here) and waits for GET /health → 200.
 * Inherits no SENTX_* variable of this process, so the limits are the product's defaults unless
 * `env` sets them. Returns {origin, baseURL, log(), stop()}.
 */
export async function startSentx(env, { startTimeoutMs = 60_000 } = {}) {
  const java = required('SENTX_JAVA', 'the java binary of a JDK 21+');
  const jar = required('SENTX_SERVER_JAR', 'the built local server (local-server/target/sentx-local-server.jar)');
  const port = await freePort();
  const childEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SENTX_')));
  Object.assign(childEnv, env, { SENTX_PORT: String(port), SENTX_HOST: '127.0.0.1' });
  // SENTX_JVM_OPTS replaces the JVM flags, as in `./sentx serve`.
  const jvmOpts = process.env.SENTX_JVM_OPTS?.trim() ? process.env.SENTX_JVM_OPTS.trim().split(/\s+/) : DEFAULT_JVM_OPTS;
  const child = spawn(java, [...jvmOpts, '-jar', jar], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (data) => {
    output += data.toString('utf8');
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let exited = null;
  const exit = new Promise((resolve) => child.once('exit', (code, signal) => {
    exited = { code, signal };
    resolve();
  }));
  // Never leave a server behind, even when the test process dies without running after().
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exit;
    clearTimeout(timer);
  };

  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (exited) {
      throw new Error(`the SentX server exited (${JSON.stringify(exited)}) before answering /health:\n${output}`);
    }
    try {
      const r = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(1_000) });
      await r.arrayBuffer();
      if (r.status === 200) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the SentX server did not answer GET /health within ${startTimeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { origin, baseURL: `${origin}/v1`, log: () => output, stop, pid: child.pid };
}
