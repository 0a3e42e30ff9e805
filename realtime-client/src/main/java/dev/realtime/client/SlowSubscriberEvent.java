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

import org.springframework.context.ApplicationEvent;
import org.springframework.util.Assert;

/**
 * Published when the subscribers of a channel of a {@link RealtimeClient} have become
 * slow: they stayed behind their buffer for longer than the connection may be held back
 * for them, and their channel applies its {@link SlowSubscriberPolicy} until they catch
 * up. The source is the client. Published on the listener lane, in order with state
 * changes.
 *
 * @author Realtime team
 * @see SlowSubscribers
 */
public class SlowSubscriberEvent extends ApplicationEvent {

	private final SlowSubscribers slow;

	/**
	 * Create a new event, timestamped with the given clock.
	 * @param client the client whose channel has slow subscribers
	 * @param slow what happened
	 * @param clock the clock for the {@link #getTimestamp() timestamp}
	 */
	public SlowSubscriberEvent(RealtimeClient client, SlowSubscribers slow, Clock clock) {
		super(client, clock);
		Assert.notNull(slow, "'slow' must not be null");
		this.slow = slow;
	}

	/**
	 * Return the name of the connection whose channel has slow subscribers, which tells
	 * the application's connections apart.
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
		return this.slow.channel();
	}

	/**
	 * Return how many bytes of messages waited for the subscribers.
	 * @return the bytes
	 */
	public long getPendingBytes() {
		return this.slow.pendingBytes();
	}

	/**
	 * Return what the channel does until its subscribers catch up.
	 * @return the policy
	 */
	public SlowSubscriberPolicy getPolicy() {
		return this.slow.policy();
	}

	@Override
	public String toString() {
		return "SlowSubscriberEvent[connection=" + getConnectionName() + ", " + this.slow + "]";
	}

}
