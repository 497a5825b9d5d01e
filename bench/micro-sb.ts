import { startSandbox } from '../sandbox';
import { Input } from '../sandbox/validation';
(async () => {
  const sb = await startSandbox({ rateLimit: { limit: 100000, windowMs: 6000 }, latencyMs: 300, seedMessages: 0 });
  const ada = sb.state.userById(sb.ids.ada)!;
  const ch = Array.from({ length: 100 }, (_, c) => sb.state.createChannel(ada, Input.fromBody({ name: `b-${c}`, type: 'PUBLIC' })).id);
  console.log(JSON.stringify({ url: sb.url, key: sb.apiKey, ch: ch.join(',') }));
})();
