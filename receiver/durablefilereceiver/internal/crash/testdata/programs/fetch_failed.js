// An uncaught fetch failure: a TypeError whose [cause] is the socket's error, with its own
// properties (errno, code, syscall, address, port).
console.log(`${new Date().toISOString()} info: calling inventory service`);
(async () => {
  await fetch('http://127.0.0.1:9/stock');
})();
