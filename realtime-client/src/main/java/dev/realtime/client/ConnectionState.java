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
 * The state of a {@link RealtimeConnection}. Legal moves between states are listed in
 * {@code ConnectionStateTransitions}.
 *
 * @author Realtime team
 */
public enum ConnectionState {

	/**
	 * Created and not yet asked to connect. A connection never returns to this state.
	 */
	INITIALIZED,

	/**
	 * Opening a transport and waiting for the server's {@code CONNECTED}.
	 */
	CONNECTING,

	/**
	 * A transport is open and the server has accepted the connection.
	 */
	CONNECTED,

	/**
	 * Not connected; a reconnect is scheduled after {@code retryIn}. If the connection
	 * was established before, the next attempt resumes it.
	 */
	DISCONNECTED,

	/**
	 * Disconnected for longer than the connection state TTL, so the server may have
	 * discarded the session; reconnect attempts continue at the suspended interval for as
	 * long as it takes.
	 */
	SUSPENDED,

	/**
	 * The application asked to close; waiting for the server's {@code CLOSED}.
	 */
	CLOSING,

	/**
	 * Closed by the application. Nothing happens until {@code connect()} is called.
	 */
	CLOSED,

	/**
	 * A failure the connection cannot recover from (such as rejected credentials or the
	 * retry limit reached). Nothing happens until {@code connect()} is called.
	 */
	FAILED;

	/**
	 * Return whether a connection may move from this state to the given one: the edges of
	 * the state machine, for example to list every possible transition up front.
	 * @param next the next state
	 * @return whether the move is legal
	 */
	public boolean canChangeTo(ConnectionState next) {
		return ConnectionStateTransitions.isAllowed(this, next);
	}

}
