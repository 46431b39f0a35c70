// A queue-mode topology boots five processes and runs thousands of requests: minutes, not seconds.
jest.setTimeout(600_000);
