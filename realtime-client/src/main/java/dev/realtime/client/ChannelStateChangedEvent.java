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

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;
import org.springframework.util.Assert;

/**
 * Published when a channel of a {@link RealtimeClient} changes state, or is re-attached
 * without continuity while {@link ChannelState#ATTACHED ATTACHED}. The source is the
 * client. Events of one client are published one at a time, in order.
 * <p>
 * Listeners run on the client's listener lane, never on the connection's own thread: a
 * listener may block or wait on any future of the client, and delays only the events
 * after it. Move slow work to an {@code @Async} listener all the same.
 *
 * @author Realtime team
 * @see ChannelStateChange
 */
public class ChannelStateChangedEvent extends ApplicationEvent {

	private final ChannelStateChange change;

	/**
	 * Create a new event, timestamped with the given clock.
	 * @param client the client whose channel changed
	 * @param change the change
	 * @param clock the clock for the {@link #getTimestamp() timestamp}
	 */
	public ChannelStateChangedEvent(RealtimeClient client, ChannelStateChange change, Clock clock) {
		super(client, clock);
		Assert.notNull(change, "'change' must not be null");
		this.change = change;
	}

	/**
	 * Return the name of the connection whose channel changed, which tells the
	 * application's connections apart.
	 * @return the {@link RealtimeClient#name() name} of the client that is the source
	 */
	public String getConnectionName() {
		return ((RealtimeClient) getSource()).name();
	}

	/**
	 * Return the name of the channel.
	 * @return the channel name
	 */
	public String getChannel() {
		return this.change.channel();
	}

	/**
	 * Return the state before the change.
	 * @return the previous state
	 */
	public ChannelState getPrevious() {
		return this.change.previous();
	}

	/**
	 * Return the state after the change.
	 * @return the current state
	 */
	public ChannelState getCurrent() {
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
	 * Return whether the channel continued where it left off, for a change to or an
	 * update of {@link ChannelState#ATTACHED ATTACHED}.
	 * @return {@code false} if messages may have been missed
	 */
	public boolean isResumed() {
		return this.change.resumed();
	}

	/**
	 * Return whether this is an update of an {@link ChannelState#ATTACHED ATTACHED}
	 * channel rather than a change of state.
	 * @return whether the state stayed the same
	 */
	public boolean isUpdate() {
		return this.change.isUpdate();
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[connection=" + getConnectionName() + ", '" + this.change.channel() + "' "
				+ this.change.previous() + " -> " + this.change.current()
				+ ((this.change.reason() != null) ? ", reason=" + this.change.reason() : "")
				+ (this.change.resumed() ? ", resumed" : "") + "]";
	}

}
