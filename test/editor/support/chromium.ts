import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (docs/n8n.md, "Running a real n8n"); playwright cannot download one here. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
];

export async function launchChromium(): Promise<Browser> {
	return await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}
