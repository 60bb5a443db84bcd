// Logs the severity script with the Node library named by argv[2] (pino, winston-json,
// winston-simple, bunyan) and writes one expected SeverityText per output line to argv[3].
const fs = require('fs');
const [lib, labelsPath] = process.argv.slice(2);
const script = [
  ['debug', 'DEBUG', 'cache warmed in 12 ms'],
  ['info', 'INFO', 'GET /api/orders 200 in 3 ms'],
  ['info', 'INFO', 'retrying after error: connection reset by peer'],
  ['warn', 'WARN', 'disk usage at 91%'],
  ['error', 'ERROR', 'payment failed: card declined'],
  ['info', 'INFO', 'ERROR budget: 0 of 5 used'],
];
let log;
if (lib === 'pino') {
  log = require('pino')({ level: 'trace' });
  script.unshift(['trace', 'TRACE', 'entering handler']);
  script.push(['fatal', 'FATAL', 'cannot open the database']);
} else if (lib === 'bunyan') {
  log = require('bunyan').createLogger({ name: 'orders', level: 'trace' });
  script.push(['fatal', 'FATAL', 'cannot open the database']);
} else {
  const winston = require('winston');
  const format = lib === 'winston-json' ? winston.format.json() : winston.format.simple();
  log = winston.createLogger({ level: 'debug', format, transports: [new winston.transports.Console()] });
}
const labels = [];
for (const [level, text, msg] of script) {
  log[level](msg);
  labels.push(text);
}
labels.push('-');
fs.writeFileSync(labelsPath, labels.join('\n') + '\n');
setTimeout(() => console.log('plain line without a level'), 100);
