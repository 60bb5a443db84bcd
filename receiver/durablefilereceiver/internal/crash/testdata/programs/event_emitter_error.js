// An 'error' event no one listens to: Node throws it, with the emitter's note after the stack.
const net = require('net');
console.log(`${new Date().toISOString()} info: starting server`);
const a = net.createServer().listen(0, '127.0.0.1', () => {
  const b = net.createServer();
  b.listen(a.address().port, '127.0.0.1');
});
