// A warning Node prints for the app (process.emitWarning), with its hint line, between
// ordinary log lines.
console.log(`${new Date().toISOString()} info: cache warming`);
process.emitWarning('cache size 2 GiB exceeds the recommended 512 MiB', 'ResourceWarning');
setTimeout(() => console.log(`${new Date().toISOString()} info: cache warm`), 50);
