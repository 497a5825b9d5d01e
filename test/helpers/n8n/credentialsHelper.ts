/**
 * The Pumble API credential as n8n's credentials helper serves it to a running node, without n8n's database.
 *
 * n8n's own node tests (`packages/core/nodes-testing`) stand in for the CLI's `CredentialsHelper` the same way.
 * This one follows the CLI's version where it matters to a node: the data is stored encrypted with n8n-core's
 * `Credentials` (the instance's key) and decrypted per request; `getDecrypted` applies the credential type's
 * defaults and display rules (`NodeHelpers.getNodeParameters`, so a field hidden by "Show Advanced Settings" is
 * dropped) and resolves expressions; `authenticate` calls a function, or writes a generic `authenticate`
 * object's keys and values, each resolved against `{ $credentials }`, into the request.
 */
import {
	ICredentialsHelper,
	isExpression,
	NodeHelpers,
	type ICredentialDataDecryptedObject,
	type ICredentialsExpressionResolveValues,
	type ICredentialType,
	type IExecuteData,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeParameters,
	type IRequestOptionsSimplified,
	type IWorkflowExecuteAdditionalData,
	type Workflow,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { core } from './core';

export class HarnessCredentialsHelper extends ICredentialsHelper {
	private readonly encrypted = new Map<string, string>();

	constructor(private readonly types: Record<string, ICredentialType>) {
		super();
	}

	/** Saves a credential of `type` (what "Save" in the credential form does). */
	store(type: string, data: ICredentialDataDecryptedObject): void {
		const credentials = new core.Credentials({ id: `harness-${type}`, name: type }, type);
		credentials.setData(data);
		this.encrypted.set(type, credentials.getDataToSave().data ?? '');
	}

	private type(name: string): ICredentialType {
		const type = this.types[name];
		if (!type) throw new Error(`Unknown credential type "${name}"`);
		return type;
	}

	getParentTypes(name: string): string[] {
		const parents = this.types[name]?.extends ?? [];
		return [...parents, ...parents.flatMap((parent) => this.getParentTypes(parent))];
	}

	getCredentialsProperties(type: string) {
		return this.type(type).properties;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string) {
		const data = this.encrypted.get(type);
		if (data === undefined) throw new Error(`No "${type}" credential was given to the harness`);
		return new core.Credentials({ id: nodeCredentials.id, name: nodeCredentials.name }, type, data);
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		resolve?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const original = (await this.getCredentials(nodeCredentials, type)).getData();
		if (raw) return original;
		const data = NodeHelpers.getNodeParameters(this.getCredentialsProperties(type), original as INodeParameters, true, false, null, null);
		if (!resolve) return data as ICredentialDataDecryptedObject;
		const additionalKeys = core.getAdditionalKeys(additionalData, mode, null, { secretsEnabled: false });
		return resolve.workflow.expression.getParameterValue(
			data,
			resolve.runExecutionData,
			resolve.runIndex,
			resolve.itemIndex,
			resolve.node.name,
			resolve.connectionInputData,
			mode,
			additionalKeys,
			executeData,
			false,
			data as ICredentialDataDecryptedObject,
		) as ICredentialDataDecryptedObject;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.type(typeName);
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		if (authenticate?.type !== 'generic') return requestOptions as IHttpRequestOptions;
		const resolveValue = (value: string): string => {
			if (!isExpression(value)) return value;
			const resolved = workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '');
			return resolved ? String(resolved) : '';
		};
		requestOptions.headers ??= {};
		const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
		for (const [outerKey, entries] of Object.entries(authenticate.properties)) {
			target[outerKey] ??= {};
			for (const [key, value] of Object.entries(entries as Record<string, string>)) target[outerKey][resolveValue(key)] = resolveValue(value);
		}
		return requestOptions as IHttpRequestOptions;
	}

	/** n8n calls a credential's `preAuthentication` only for types with an expirable hidden field; Pumble's has none. */
	async preAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}
}
