// console.error of an Error whose message has several lines, then the app goes on.
console.log(`${new Date().toISOString()} info: validating payload`);
console.error(new Error('payload is invalid:\n  items[0].qty: expected number\n  items[1].sku: required'));
console.log(`${new Date().toISOString()} info: rejected with 422`);
