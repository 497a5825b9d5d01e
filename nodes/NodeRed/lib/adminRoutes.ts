/**
 * The editor's channel and user pickers: admin HTTP routes of the config node, behind Node-RED's own
 * admin authentication (`RED.auth.needsPermission`). They read through the node's PumbleApi, so the
 * lists come from the core's short cache and count against the user's rate limit like any request.
 */
import { describeError, errorText } from './errors';
import type { PumbleConfigNode, RedAdminResponse, RedApi } from './red';

async function answer(res: RedAdminResponse, load: () => Promise<unknown>): Promise<void> {
	try {
		res.json(await load());
	} catch (error) {
		res.status(502).json({ error: errorText(describeError(error)) });
	}
}

export function registerPickerRoutes(RED: RedApi): void {
	const configNode = (id: string, res: RedAdminResponse): PumbleConfigNode | undefined => {
		const node = RED.nodes.getNode(id) as PumbleConfigNode | null;
		if (!node || typeof node.createApi !== 'function') {
			res.status(404).json({ error: 'Deploy the Pumble config node first, then open the list again.' });
			return undefined;
		}
		return node;
	};

	RED.httpAdmin.get('/pumble-config/:id/channels', RED.auth.needsPermission('pumble-config.read'), (req, res) => {
		const node = configNode(req.params.id, res);
		if (!node) return;
		void answer(res, async () =>
			(await node.createApi().listChannels({ cached: true }))
				.filter((entry) => !entry.channel.isArchived)
				.map((entry) => ({ id: entry.channel.id, name: entry.channel.name ?? '', type: entry.channel.channelType })),
		);
	});

	RED.httpAdmin.get('/pumble-config/:id/users', RED.auth.needsPermission('pumble-config.read'), (req, res) => {
		const node = configNode(req.params.id, res);
		if (!node) return;
		void answer(res, async () =>
			(await node.createApi().listUsers({ cached: true }))
				.filter((user) => user.status !== 'DEACTIVATED')
				.map((user) => ({ id: user.id, name: user.name ?? '', email: user.email ?? '', bot: Boolean(user.isAddonBot || user.isPumbleBot) })),
		);
	});
}
