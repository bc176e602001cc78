// The viewers' side of the fan-out floor: accepts connections on 127.0.0.1 and throws away what
// comes, so that the reader under test pays only for sending. Prints its port, then runs until
// killed or until its stdin (a pipe from the benchmark) closes: it cannot outlive the benchmark.
import { createServer } from 'node:net';

const server = createServer((socket) => {
  socket.on('data', () => {});
  socket.on('error', () => {}); // the reader is killed at the end: a reset is expected
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.stdin.on('data', () => {}).on('end', () => process.exit(0));
