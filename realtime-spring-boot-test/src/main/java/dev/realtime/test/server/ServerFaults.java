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

package dev.realtime.test.server;

import java.time.Duration;

import dev.realtime.client.ErrorInfo;
import org.jspecify.annotations.Nullable;

/**
 * The faults a {@link RealtimeServer} is currently injecting into new and existing
 * connections, other than freezing, which belongs to each connection. Thread-safe.
 *
 * @author Realtime team
 */
final class ServerFaults {

	private volatile boolean refuseConnections;

	private volatile boolean heartbeatsStopped;

	private volatile Duration connectedDelay = Duration.ZERO;

	private volatile Duration ackDelay = Duration.ZERO;

	/** How many client MESSAGEs are still to be refused. Guarded by this. */
	private int nacksLeft;

	/** The error to refuse them with. Guarded by this. */
	private @Nullable ErrorInfo nackError;

	boolean refuseConnections() {
		return this.refuseConnections;
	}

	void refuseConnections(boolean refuse) {
		this.refuseConnections = refuse;
	}

	boolean heartbeatsStopped() {
		return this.heartbeatsStopped;
	}

	void heartbeatsStopped(boolean stopped) {
		this.heartbeatsStopped = stopped;
	}

	Duration connectedDelay() {
		return this.connectedDelay;
	}

	void connectedDelay(Duration delay) {
		this.connectedDelay = delay;
	}

	Duration ackDelay() {
		return this.ackDelay;
	}

	void ackDelay(Duration delay) {
		this.ackDelay = delay;
	}

	synchronized void nackNextPublishes(int count, ErrorInfo error) {
		this.nacksLeft = count;
		this.nackError = error;
	}

	/**
	 * Take one refusal, if any are left.
	 * @return the error to refuse the next client MESSAGE with, or {@code null} to accept
	 * it
	 */
	synchronized @Nullable ErrorInfo takeNack() {
		if (this.nacksLeft <= 0) {
			return null;
		}
		ErrorInfo error = this.nackError;
		if (--this.nacksLeft == 0) {
			this.nackError = null;
		}
		return error;
	}

	synchronized void reset() {
		this.refuseConnections = false;
		this.heartbeatsStopped = false;
		this.connectedDelay = Duration.ZERO;
		this.ackDelay = Duration.ZERO;
		this.nacksLeft = 0;
		this.nackError = null;
	}

}
