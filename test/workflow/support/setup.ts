// Workflows talk to the sandbox over real HTTP, with paced rate limits and injected faults.
jest.setTimeout(120_000);
