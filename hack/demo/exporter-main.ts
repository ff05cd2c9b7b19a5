// The demo's traffic stand-in as its own process: serves Istio-shaped metrics on
// /metrics and takes traffic changes on POST /set (JSON WorkloadTraffic), loopback only.
// The control port also stands in for the app's pods for the load tester: GET /app
// answers and is counted, GET /app-requests tells how many requests arrived.
import { createServer } from 'node:http';
import { IstioExporter, type WorkloadTraffic } from './istio-exporter.js';

const exporter = new IstioExporter();
const metricsPort = Number(process.argv[2] ?? 0);
const controlPort = Number(process.argv[3] ?? 0);

const address = await exporter.listen(metricsPort);
let appRequests = 0;
const control = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/app') {
    appRequests++;
    res.end('podinfo stand-in');
    return;
  }
  if (req.method === 'GET' && req.url === '/app-requests') {
    res.end(String(appRequests));
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    try {
      const t = JSON.parse(Buffer.concat(chunks).toString('utf8')) as WorkloadTraffic;
      exporter.set(t);
      res.end('OK');
    } catch (err) {
      res.statusCode = 400;
      res.end(String(err));
    }
  });
});
control.listen(controlPort, '127.0.0.1', () => {
  const a = control.address();
  process.stdout.write(
    `${JSON.stringify({ metrics: address, control: typeof a === 'object' && a ? a.port : 0 })}\n`,
  );
});
