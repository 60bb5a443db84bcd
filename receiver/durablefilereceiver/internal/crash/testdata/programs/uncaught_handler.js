// An uncaughtException handler that logs the error's stack with its own log line, then goes on.
const log = (level, msg) => console.log(`${new Date().toISOString()} ${level}: ${msg}`);
process.on('uncaughtException', (err) => { log('error', `uncaught: ${err.stack}`); log('info', 'worker kept alive'); });
log('info', 'parsing message');
setTimeout(() => JSON.parse('{"id": 7,'), 1);
