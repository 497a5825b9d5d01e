// Preloaded into `node-red-dev validate` (node -r): where catalogue.nodered.org cannot be reached (this
// workplace reaches only the npm registry), its two catalogue checks (P08 similar names, N01 node names
// already in the catalogue) get an empty catalogue instead of ending the whole validation, and are
// reported as not checked. Where the catalogue answers (GitHub's runners), nothing changes.
const Module = require('node:module');
const fs = require('node:fs');

const CATALOGUE = 'https://catalogue.nodered.org/catalogue.json';
const unreachable = new Set();
const originalLoad = Module._load;
const patched = new WeakSet();

Module._load = function load(request, parent, isMain) {
	const exported = originalLoad.call(this, request, parent, isMain);
	if (request === 'axios' && exported && typeof exported.get === 'function' && !patched.has(exported)) {
		patched.add(exported);
		const get = exported.get.bind(exported);
		exported.get = async (url, ...rest) => {
			try {
				return await get(url, ...rest);
			} catch (error) {
				if (url !== CATALOGUE || !error || error.response) throw error;
				unreachable.add(error.code || String(error.message));
				return { data: { modules: [] } };
			}
		};
	}
	return exported;
};

process.on('exit', () => {
	const out = process.env.NODE_RED_DEV_OFFLINE_REPORT;
	if (out) fs.writeFileSync(out, JSON.stringify({ catalogueUnreachable: [...unreachable] }));
});
