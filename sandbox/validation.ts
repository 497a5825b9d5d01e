/**
 * Error shapes and request-parameter reading shared by the workspace operations and the HTTP layer.
 *
 * The real add-on answers 403 for validation, permission and not-found alike, with one of two bodies:
 * the handler layer's legacy `{error}` and the validation framework's `{message, localizedMessage, code}`.
 */

export type LegacyErrorBody = { error: string };
export type StructuredErrorBody = { message: string; localizedMessage: string; code: number };
export type ErrorBody = LegacyErrorBody | StructuredErrorBody;

export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly body: ErrorBody,
	) {
		super('error' in body ? body.error : body.message);
		this.name = 'ApiError';
	}
}

export function legacyError(text: string, status = 403): ApiError {
	return new ApiError(status, { error: text });
}

export function structuredError(message: string, code: number, status = 403): ApiError {
	return new ApiError(status, { message, localizedMessage: message, code });
}

/** The validation framework wraps its messages in brackets, e.g. `[Allowed values are PUBLIC|PRIVATE]`. */
export function validationError(detail: string): ApiError {
	return structuredError(`[${detail}]`, 400000);
}

export function notFound(): ApiError {
	return structuredError('Not found', 404100);
}

export function channelNotFound(): ApiError {
	return legacyError('Could not find channel with that identifier');
}

interface IntRange {
	min?: number;
	max?: number;
}

/**
 * Typed access to one request's parameters: the query string for GET/DELETE, the JSON body for POST.
 * Query values arrive as strings, so numbers and booleans are coerced the way Jackson would coerce them.
 */
export class Input {
	private constructor(
		private readonly raw: Record<string, unknown>,
		private readonly fromQuery: boolean,
	) {}

	static fromQuery(query: Record<string, string>): Input {
		return new Input(query, true);
	}

	static fromBody(body: Record<string, unknown>): Input {
		return new Input(body, false);
	}

	/** A JSON `null`: "remove this" on an edit, unlike a field left out ("keep it"). */
	isNull(name: string): boolean {
		return this.raw[name] === null;
	}

	/** `?channel=` with nothing after it means "not given", but a JSON `""` is a real (blank) value. */
	has(name: string): boolean {
		const value = this.raw[name];
		if (value === undefined || value === null) return false;
		return !(this.fromQuery && value === '');
	}

	optionalString(name: string): string | undefined {
		if (!this.has(name)) return undefined;
		const value = this.raw[name];
		if (typeof value !== 'string') throw validationError(`${name} must be a string`);
		return value;
	}

	string(name: string): string {
		const value = this.optionalString(name);
		if (value === undefined) throw validationError(`${name} must not be null`);
		return value;
	}

	/** Message-like text: present, not only whitespace, at most `max` characters. */
	text(name: string, max: number): string {
		const value = this.optionalString(name);
		if (value === undefined || value.trim() === '') throw validationError(`${name} must not be blank`);
		if (value.length > max) throw validationError(`${name} size must be between 1 and ${max}`);
		return value;
	}

	optionalInt(name: string, range: IntRange = {}): number | undefined {
		if (!this.has(name)) return undefined;
		const value = this.raw[name];
		const parsed = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
		if (typeof parsed !== 'number' || !Number.isSafeInteger(parsed)) {
			throw validationError(`${name} must be an integer`);
		}
		const { min, max } = range;
		if ((min !== undefined && parsed < min) || (max !== undefined && parsed > max)) {
			const bounds =
				min !== undefined && max !== undefined
					? `between ${min} and ${max}`
					: min !== undefined
						? `greater than or equal to ${min}`
						: `less than or equal to ${max}`;
			throw validationError(`${name} must be ${bounds}`);
		}
		return parsed;
	}

	int(name: string, range: IntRange = {}): number {
		const value = this.optionalInt(name, range);
		if (value === undefined) throw validationError(`${name} must not be null`);
		return value;
	}

	bool(name: string): boolean {
		if (!this.has(name)) return false;
		const value = this.raw[name];
		if (value === true || value === 'true') return true;
		if (value === false || value === 'false') return false;
		throw validationError(`${name} must be a boolean`);
	}

	optionalEnum<T extends string>(name: string, allowed: readonly T[]): T | undefined {
		const value = this.optionalString(name);
		if (value === undefined) return undefined;
		if (!(allowed as readonly string[]).includes(value)) {
			throw validationError(`Allowed values are ${allowed.join('|')}`);
		}
		return value as T;
	}

	enum<T extends string>(name: string, allowed: readonly T[]): T {
		const value = this.optionalEnum(name, allowed);
		if (value === undefined) throw validationError(`${name} must not be null`);
		return value;
	}

	optionalArray(name: string): unknown[] | undefined {
		if (!this.has(name)) return undefined;
		const value = this.raw[name];
		if (!Array.isArray(value)) throw validationError(`${name} must be an array`);
		return value;
	}

	optionalStringArray(name: string): string[] | undefined {
		const value = this.optionalArray(name);
		if (value === undefined) return undefined;
		if (!value.every((item): item is string => typeof item === 'string')) {
			throw validationError(`${name} must be an array of strings`);
		}
		return value;
	}

	optionalObject(name: string): Input | undefined {
		if (!this.has(name)) return undefined;
		const value = this.raw[name];
		if (typeof value !== 'object' || value === null || Array.isArray(value)) {
			throw validationError(`${name} must be an object`);
		}
		return new Input(value as Record<string, unknown>, false);
	}
}
