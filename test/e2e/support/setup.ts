// A real n8n process boots, imports and executes: minutes, not seconds.
jest.setTimeout(900_000);
