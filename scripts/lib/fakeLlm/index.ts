/**
 * The local stand-in for OpenAI's Chat Completions API, shared by `npm start` and the e2e tests, and the
 * `openAiApi` credential the AI examples refer to ("OpenAI account", id openAiExample01) pointed at it.
 */
import type { CredentialInput } from '../n8n';

export { startFakeLlm, type ChatRequest, type FakeLlm, type FakeLlmOptions, type FakeLlmReply, type FakeLlmStep, type FakeLlmSteps } from './server';
export { draftFrom, improvise, STAND_IN_NOTE, summaryOf } from './improvise';

/** The OpenAI credential every AI example names (`credentials.openAiApi` in examples/*.workflow.json). */
export const OPENAI_CREDENTIAL = { id: 'openAiExample01', name: 'OpenAI account' } as const;
/** Not a key: the stand-in accepts anything; a real OpenAI key replaces it. */
export const STAND_IN_API_KEY = 'sk-local-stand-in-not-a-real-key';

/** The example's OpenAI credential pointing at a stand-in (`url`: its base URL, ending in /v1). */
export function standInOpenAiCredential(url: string, credential: { id: string; name: string } = OPENAI_CREDENTIAL): CredentialInput {
	return { ...credential, type: 'openAiApi', data: { apiKey: STAND_IN_API_KEY, url } };
}
