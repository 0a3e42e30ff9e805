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

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.realtime.client.ConnectionState;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import dev.realtime.client.RealtimeConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Connects the {@link RealtimeClient} when the application context starts, if
 * {@code realtime.auto-connect} is set, and closes it gracefully when the context stops.
 * <p>
 * Stopping sends {@code CLOSE} and waits until the connection is
 * {@link ConnectionState#CLOSED CLOSED} (or {@link ConnectionState#FAILED FAILED}) and
 * the state change has been delivered to every listener, so the last
 * {@code ConnectionStateChangedEvent} is published while the context is still open. The
 * client bounds a close by its connect and request timeouts.
 *
 * @author Realtime team
 */
class RealtimeClientLifecycle implements SmartLifecycle {

	/**
	 * The phase of this lifecycle: after the embedded web server starts (so that an
	 * application may connect to itself), and stopped after the web server's graceful
	 * shutdown (so that requests still in flight can use the connection) but before the
	 * web server and the realtime scheduler stop.
	 */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1536;

	private static final Log logger = LogFactory.getLog(RealtimeClientLifecycle.class);

	private final RealtimeConnection connection;

	private final boolean autoConnect;

	private final Duration closeTimeout;

	private volatile boolean running;

	RealtimeClientLifecycle(RealtimeClient client, boolean autoConnect) {
		this.connection = client.connection();
		this.autoConnect = autoConnect;
		RealtimeClientOptions options = client.options();
		// The longest a close can take: connecting, then waiting for CLOSED
		this.closeTimeout = options.connectTimeout().plus(options.requestTimeout());
	}

	@Override
	public void start() {
		if (this.autoConnect) {
			this.connection.connect();
		}
		this.running = true;
	}

	@Override
	public void stop() {
		close().join();
	}

	@Override
	public void stop(Runnable callback) {
		close().whenComplete((result, failure) -> callback.run());
	}

	private CompletableFuture<Void> close() {
		this.running = false;
		// The future completes after every listener heard of the final state change
		return requestClose().orTimeout(this.closeTimeout.toMillis(), TimeUnit.MILLISECONDS)
			.handle((result, failure) -> {
				if (failure != null) {
					logger.warn("Realtime connection did not close cleanly; continuing shutdown: " + failure);
					logger.debug("Realtime connection close failure", failure);
				}
				return null;
			});
	}

	private CompletableFuture<Void> requestClose() {
		try {
			return this.connection.close();
		}
		catch (RuntimeException ex) {
			// For example, a scheduler that no longer accepts tasks
			return CompletableFuture.failedFuture(ex);
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
