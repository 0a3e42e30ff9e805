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

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * The connection of a {@link RealtimeClient}: its state, identity and lifecycle. Every
 * method returns at once; the work happens on the connection's own serial executor.
 *
 * @author Realtime team
 */
public interface RealtimeConnection {

	/**
	 * Return the current state.
	 * @return the state
	 */
	ConnectionState state();

	/**
	 * Return the id the server gave this connection.
	 * @return the id, or {@code null} before the first connection and while
	 * {@link ConnectionState#CLOSING CLOSING}, {@link ConnectionState#CLOSED CLOSED} or
	 * {@link ConnectionState#FAILED FAILED}
	 */
	@Nullable String id();

	/**
	 * Return the private key that resumes this connection. Treat it as a secret.
	 * @return the key, or {@code null} when {@link #id()} is
	 */
	@Nullable String key();

	/**
	 * Return why the connection is not (or not cleanly) connected: the reason of the
	 * latest state change that had one. It is kept while the connection retries, and
	 * cleared when the connection becomes {@link ConnectionState#CONNECTED CONNECTED}
	 * without error, is {@link ConnectionState#CLOSED CLOSED}, or starts anew.
	 * @return the error, or {@code null}
	 */
	@Nullable ErrorInfo errorReason();

	/**
	 * Return the client id of this connection: the one the server granted on the latest
	 * {@code CONNECTED}, or else the configured one.
	 * @return the client id, or {@code null} if the client is anonymous
	 */
	@Nullable String clientId();

	/**
	 * Return a key with which another instance of this client, in this process or
	 * another, takes over this connection (option {@code recover}, property
	 * {@code realtime.recover}) [RTN16g]: it holds the connection key, the next
	 * {@code msgSerial} and the serial of each attached channel. Treat it as a secret.
	 * Opaque; read only by this library, and of the same major version.
	 * @return the key, or {@code null} while {@link ConnectionState#CLOSING CLOSING},
	 * {@link ConnectionState#CLOSED CLOSED}, {@link ConnectionState#FAILED FAILED} or
	 * {@link ConnectionState#SUSPENDED SUSPENDED}, or before the first connection
	 * [RTN16g2]
	 */
	@Nullable String recoveryKey();

	/**
	 * Connect, or reconnect at once if a retry is scheduled. Does nothing while
	 * {@link ConnectionState#CONNECTING CONNECTING} or {@link ConnectionState#CONNECTED
	 * CONNECTED}.
	 */
	void connect();

	/**
	 * Close the connection gracefully: send {@code CLOSE} and wait for the server's
	 * {@code CLOSED}, at most the request timeout.
	 * @return a future that completes when the connection is
	 * {@link ConnectionState#CLOSED CLOSED} or {@link ConnectionState#FAILED FAILED} and
	 * every listener has heard of it (when called by a listener, as soon as the state is
	 * reached: a listener cannot wait for itself), and fails if {@link #connect()} is
	 * called first
	 */
	CompletableFuture<Void> close();

	/**
	 * Measure the round trip to the server with a {@code HEARTBEAT}. While connecting or
	 * disconnected, the ping waits for the connection.
	 * @return a future with the round-trip time, failed if no answer comes within the
	 * request timeout or the connection cannot carry the ping
	 */
	CompletableFuture<Duration> ping();

	/**
	 * Add a listener for state changes.
	 * @param listener the listener
	 */
	void addListener(ConnectionStateListener listener);

	/**
	 * Remove a listener added with {@link #addListener}.
	 * @param listener the listener
	 */
	void removeListener(ConnectionStateListener listener);

}
