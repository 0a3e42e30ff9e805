/*
 * Copyright 2026 the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package dev.realtime.client;

/**
 * Exception with which a future returned by the realtime API fails. It carries the
 * {@link ErrorInfo} that says what happened.
 *
 * @author Realtime team
 */
public class RealtimeException extends RuntimeException {

	private final ErrorInfo errorInfo;

	/**
	 * Create a new exception for the given error.
	 * @param errorInfo the error
	 */
	public RealtimeException(ErrorInfo errorInfo) {
		super(errorInfo.toString());
		this.errorInfo = errorInfo;
	}

	/**
	 * Return the error that caused this exception.
	 * @return the error
	 */
	public ErrorInfo getErrorInfo() {
		return this.errorInfo;
	}

}
