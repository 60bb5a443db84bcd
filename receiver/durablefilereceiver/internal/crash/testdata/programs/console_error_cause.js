// console.error of an error with extra properties and a cause, between JSON lines.
console.log(JSON.stringify({ level: 'info', msg: 'charging card' }));
const cause = new Error('connect ECONNREFUSED 127.0.0.1:5432');
cause.code = 'ECONNREFUSED';
const err = new Error('payment failed', { cause });
err.orderId = 42;
console.error(err);
console.log(JSON.stringify({ level: 'info', msg: 'next request' }));
