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

import java.util.function.UnaryOperator;

import dev.realtime.client.RealtimeClientOptions;

/**
 * The properties of one connection, and the name of the property that holds each value,
 * so that a bad value is reported against the property the application set.
 *
 * @author Realtime team
 */
final class ConnectionProperties {

	private final String connectionName;

	private final RealtimeConnectionProperties properties;

	private final UnaryOperator<String> propertyNames;

	/**
	 * Create the properties of a connection.
	 * @param connectionName the name of the connection
	 * @param properties its properties
	 * @param propertyNames the full name of the property that holds the value of a key
	 * relative to the connection, such as {@code timeouts.connect}
	 */
	ConnectionProperties(String connectionName, RealtimeConnectionProperties properties,
			UnaryOperator<String> propertyNames) {
		this.connectionName = connectionName;
		this.properties = properties;
		this.propertyNames = propertyNames;
	}

	/**
	 * Return the properties of the connection of {@code realtime.*}, named
	 * {@value RealtimeClientOptions#DEFAULT_NAME}.
	 * @param properties the properties under {@code realtime}
	 * @return the properties of that connection
	 */
	static ConnectionProperties unnamed(RealtimeConnectionProperties properties) {
		return new ConnectionProperties(RealtimeClientOptions.DEFAULT_NAME, properties, (key) -> "realtime." + key);
	}

	String connectionName() {
		return this.connectionName;
	}

	RealtimeConnectionProperties get() {
		return this.properties;
	}

	/**
	 * Return the full name of the property that holds a value of this connection.
	 * @param key the name relative to the connection, such as {@code timeouts.connect}
	 * @return the full name, such as {@code realtime.connections.feeds.timeouts.connect}
	 */
	String propertyName(String key) {
		return this.propertyNames.apply(key);
	}

}
