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

package dev.realtime.autoconfigure;

/**
 * Thrown when the realtime client is enabled but the URL of a connection,
 * {@code realtime.url} or that of a named connection, is not set.
 *
 * @author Realtime team
 * @see MissingRealtimeUrlFailureAnalyzer
 */
class MissingRealtimeUrlException extends IllegalStateException {

	private final String property;

	MissingRealtimeUrlException(String property) {
		super("The realtime client is enabled but '" + property + "' is not set");
		this.property = property;
	}

	/**
	 * Return the property that would say where to connect.
	 * @return the name of the property, such as {@code realtime.url}
	 */
	String getProperty() {
		return this.property;
	}

}
