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

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static dev.realtime.client.ConnectionState.CLOSED;
import static dev.realtime.client.ConnectionState.CLOSING;
import static dev.realtime.client.ConnectionState.CONNECTED;
import static dev.realtime.client.ConnectionState.CONNECTING;
import static dev.realtime.client.ConnectionState.DISCONNECTED;
import static dev.realtime.client.ConnectionState.FAILED;
import static dev.realtime.client.ConnectionState.INITIALIZED;
import static dev.realtime.client.ConnectionState.SUSPENDED;

/**
 * The legal moves between {@link ConnectionState ConnectionStates}, as data. A move not
 * listed here is a bug in the connection manager, never something the network can cause.
 *
 * @author Realtime team
 */
final class ConnectionStateTransitions {

	private static final Map<ConnectionState, Set<ConnectionState>> ALLOWED = new EnumMap<>(ConnectionState.class);

	static {
		// connect() [RTN11]; close() before any connect
		allow(INITIALIZED, CONNECTING, CLOSED);
		// CONNECTED received; attempt failed [RTN14d]; TTL over [RTN14e]; close()
		// [RTN12f];
		// fatal ERROR [RTN14g]
		allow(CONNECTING, CONNECTED, DISCONNECTED, SUSPENDED, CLOSING, FAILED);
		// drop or DISCONNECTED [RTN15a, RTN15h3]; close() [RTN12a]; fatal ERROR [RTN15j]
		allow(CONNECTED, DISCONNECTED, CLOSING, FAILED);
		// retry [RTN14d]; TTL over [RTN14e]; close() [RTN12d]; retry limit reached
		allow(DISCONNECTED, CONNECTING, SUSPENDED, CLOSED, FAILED);
		// retry [RTN14f]; close() [RTN12d]
		allow(SUSPENDED, CONNECTING, CLOSED);
		// CLOSED received, drop or timeout [RTN12b, RTN12c]; connect() [RTN11b]; fatal
		// ERROR
		allow(CLOSING, CLOSED, CONNECTING, FAILED);
		// connect() [RTN11d]
		allow(CLOSED, CONNECTING);
		allow(FAILED, CONNECTING);
	}

	private ConnectionStateTransitions() {
	}

	private static void allow(ConnectionState from, ConnectionState... to) {
		ALLOWED.put(from, EnumSet.of(to[0], to));
	}

	/**
	 * Return whether a connection may move from one state to another.
	 * @param from the current state
	 * @param to the next state
	 * @return whether the move is legal
	 */
	static boolean isAllowed(ConnectionState from, ConnectionState to) {
		return ALLOWED.get(from).contains(to);
	}

}
