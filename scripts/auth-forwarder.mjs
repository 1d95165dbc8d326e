// Loopback forwarder for the conformance suite, which cannot send headers of its own: it adds
// `Authorization: Bearer $AGENT_OS_HTTP_TOKEN` to each request and passes it to the agent-os server
// at $TARGET. A Host or Origin naming this forwarder is re-pointed at the server's port; any other
// (the suite's DNS-rebinding scenario) is passed through unchanged, so the server still judges it.
import http from 'node:http';

const target = new URL(process.env.TARGET ?? '');
const token = process.env.AGENT_OS_HTTP_TOKEN ?? '';
if (!target.port || !token) {
  console.error('auth-forwarder: set TARGET (the server URL) and AGENT_OS_HTTP_TOKEN');
  process.exit(2);
}
const server = http.createServer((req, res) => {
  const port = server.address().port;
  const repoint = (hostPort) => {
    for (const name of ['127.0.0.1', 'localhost']) if (hostPort === `${name}:${port}`) return `${name}:${target.port}`;
    return null;
  };
  const headers = { ...req.headers, authorization: `Bearer ${token}` };
  headers.host = repoint(headers.host) ?? headers.host;
  if (headers.origin?.startsWith('http://')) {
    const origin = repoint(headers.origin.slice('http://'.length));
    if (origin) headers.origin = `http://${origin}`;
  }
  const upstream = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  upstream.on('error', (e) => {
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(String(e));
  });
  req.pipe(upstream);
});
server.listen(0, '127.0.0.1', () => console.log(`http://127.0.0.1:${server.address().port}${target.pathname}`));
