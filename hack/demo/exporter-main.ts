// The demo's traffic stand-in as its own process: serves Istio-shaped metrics on
// /metrics and takes traffic changes on POST /set (JSON WorkloadTraffic), loopback only.
import { createServer } from 'node:http';
import { IstioExporter, type WorkloadTraffic } from './istio-exporter.js';

const exporter = new IstioExporter();
const metricsPort = Number(process.argv[2] ?? 0);
const controlPort = Number(process.argv[3] ?? 0);

const address = await exporter.listen(metricsPort);
const control = createServer((req, res) => {
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
