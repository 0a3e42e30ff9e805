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

import java.time.Clock;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;
import org.springframework.util.Assert;

/**
 * Published when the connection of a {@link RealtimeClient} changes state, or is updated
 * while {@link ConnectionState#CONNECTED CONNECTED}. The source is the client. Events of
 * one client are published one at a time, in the order of the changes.
 * <p>
 * Listeners run on the client's listener lane, never on the connection's own thread: a
 * listener may block or wait on any future of the client, and delays only the events
 * after it. Move slow work to an {@code @Async} listener all the same.
 *
 * @author Realtime team
 * @see ConnectionStateChange
 */
public class ConnectionStateChangedEvent extends ApplicationEvent {

	private final ConnectionStateChange change;

	/**
	 * Create a new event, timestamped with the system clock.
	 * @param client the client whose connection changed
	 * @param change the change
	 */
	public ConnectionStateChangedEvent(RealtimeClient client, ConnectionStateChange change) {
		this(client, change, Clock.systemUTC());
	}

	/**
	 * Create a new event, timestamped with the given clock.
	 * @param client the client whose connection changed
	 * @param change the change
	 * @param clock the clock for the {@link #getTimestamp() timestamp}
	 */
	public ConnectionStateChangedEvent(RealtimeClient client, ConnectionStateChange change, Clock clock) {
		super(client, clock);
		Assert.notNull(change, "'change' must not be null");
		this.change = change;
	}

	/**
	 * Return the name of the connection that changed, which tells the application's
	 * connections apart.
	 * @return the {@link RealtimeClient#name() name} of the client that is the source
	 */
	public String getConnectionName() {
		return ((RealtimeClient) getSource()).name();
	}

	/**
	 * Return the state before the change.
	 * @return the previous state
	 */
	public ConnectionState getPrevious() {
		return this.change.previous();
	}

	/**
	 * Return the state after the change.
	 * @return the current state
	 */
	public ConnectionState getCurrent() {
		return this.change.current();
	}

	/**
	 * Return why the change happened.
	 * @return the error that caused the change, or {@code null}
	 */
	public @Nullable ErrorInfo getReason() {
		return this.change.reason();
	}

	/**
	 * Return when the next connection attempt is due.
	 * @return the delay for {@link ConnectionState#DISCONNECTED DISCONNECTED} and
	 * {@link ConnectionState#SUSPENDED SUSPENDED}, otherwise {@code null}
	 */
	public @Nullable Duration getRetryIn() {
		return this.change.retryIn();
	}

	/**
	 * Return whether this is an update of a {@link ConnectionState#CONNECTED CONNECTED}
	 * connection rather than a change of state.
	 * @return whether the state stayed the same
	 * @see ConnectionStateChange#isUpdate()
	 */
	public boolean isUpdate() {
		return this.change.isUpdate();
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[connection=" + getConnectionName() + ", " + this.change.previous()
				+ " -> " + this.change.current()
				+ ((this.change.reason() != null) ? ", reason=" + this.change.reason() : "")
				+ ((this.change.retryIn() != null) ? ", retryIn=" + this.change.retryIn() : "") + "]";
	}

}
