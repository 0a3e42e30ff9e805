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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import dev.realtime.client.ConnectionState;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Connects every {@link RealtimeClient} when the application context starts, if its
 * connection's {@code auto-connect} is set, and closes them all gracefully, at the same
 * time, when the context stops.
 * <p>
 * Stopping sends {@code CLOSE} on each connection and waits until each is
 * {@link ConnectionState#CLOSED CLOSED} (or {@link ConnectionState#FAILED FAILED}) and
 * the state change has been delivered to every listener, so the last
 * {@code ConnectionStateChangedEvent} of each is published while the context is still
 * open. Each client bounds its close by its connect and request timeouts; the connections
 * close in parallel, so stopping takes as long as the slowest of them.
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

	private final List<RealtimeClient> clients;

	private final Predicate<RealtimeClient> autoConnect;

	private volatile boolean running;

	/**
	 * Create a lifecycle for the given clients.
	 * @param clients the clients
	 * @param autoConnect whether a client connects when the context starts
	 */
	RealtimeClientLifecycle(List<RealtimeClient> clients, Predicate<RealtimeClient> autoConnect) {
		this.clients = List.copyOf(clients);
		this.autoConnect = autoConnect;
	}

	@Override
	public void start() {
		for (RealtimeClient client : this.clients) {
			if (this.autoConnect.test(client)) {
				client.connection().connect();
			}
		}
		this.running = true;
	}

	@Override
	public void stop() {
		closeAll().join();
	}

	@Override
	public void stop(Runnable callback) {
		closeAll().whenComplete((result, failure) -> callback.run());
	}

	private CompletableFuture<Void> closeAll() {
		this.running = false;
		return CompletableFuture.allOf(this.clients.stream().map(this::close).toArray(CompletableFuture[]::new));
	}

	private CompletableFuture<Void> close(RealtimeClient client) {
		RealtimeClientOptions options = client.options();
		// The longest a close can take: connecting, then waiting for CLOSED
		Duration timeout = options.connectTimeout().plus(options.requestTimeout());
		// The future completes after every listener heard of the final state change
		return requestClose(client).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handle((result, failure) -> {
			if (failure != null) {
				logger.warn("Realtime connection '" + client.name() + "' did not close cleanly; continuing shutdown: "
						+ failure);
				logger.debug("Realtime connection '" + client.name() + "' close failure", failure);
			}
			return null;
		});
	}

	private static CompletableFuture<Void> requestClose(RealtimeClient client) {
		try {
			return client.connection().close();
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
