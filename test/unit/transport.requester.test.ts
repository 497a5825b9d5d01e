/** Who the n8n node's requests are for in the user's limiter: one requester per execution, poll, Send and Wait, editor. */
import { requesterOf, type PumbleContext } from '../../nodes/Pumble/transport';

const as = (shape: object) => shape as unknown as PumbleContext;

describe('requesterOf', () => {
	it('names an execution by its ID, so two executions of one workflow are two requesters', () => {
		const execution = (id: string) => as({ getExecutionId: () => id, getInputData: () => [] });
		expect(requesterOf(execution('41'), false)).toBe('execution:41');
		expect(requesterOf(execution('42'), false)).not.toBe(requesterOf(execution('41'), false));
	});

	it('gives Send and Wait’s edits (its answer page, its expiry) and the trigger’s poll their own turns', () => {
		expect(requesterOf(as({ getExecutionId: () => '7', getRequestObject: () => ({}) }), false)).toBe('sendAndWait:7');
		expect(requesterOf(as({ getExecutionId: () => '7', getInputData: () => [] }), true)).toBe('sendAndWait:7');
		const poll = as({ __emit: () => undefined, getWorkflow: () => ({ id: 'wf1' }), getNode: () => ({ name: 'Pumble Trigger' }) });
		expect(requesterOf(poll, false)).toBe('poll:wf1:Pumble Trigger');
		expect(requesterOf(as({ getNode: () => ({ name: 'x' }) }), false)).toBe('editor');
	});
});
