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

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The lane on which one channel's subscribers run: received messages wait here, counted
 * in bytes, and are decoded and handed to the subscribers in order on a serial lane of
 * their own, so that a subscriber that blocks delays only its own channel.
 * <p>
 * The actor {@linkplain #offer offers} deliveries and learns whether the lane is over its
 * budget; when it is, the lane tells the actor (through {@code caughtUp}, on the lane)
 * once the waiting bytes have fallen to half the budget.
 *
 * @author Realtime team
 */
final class SubscriberLane {

	private final SerialExecutor lane;

	private final long budget;

	private final Runnable caughtUp;

	private final AtomicLong pendingBytes = new AtomicLong();

	private final AtomicBoolean behind = new AtomicBoolean();

	/**
	 * Create a lane.
	 * @param executor the executor whose threads run the lane
	 * @param budget how many bytes may wait before the lane is behind
	 * @param caughtUp called on the lane when a lane that was behind has caught up
	 */
	SubscriberLane(Executor executor, long budget, Runnable caughtUp) {
		this.lane = new SerialExecutor(executor, Integer.MAX_VALUE);
		this.budget = budget;
		this.caughtUp = caughtUp;
	}

	/**
	 * Queue a delivery. Called on the actor.
	 * @param delivery decodes and dispatches the messages
	 * @param bytes the size of the messages
	 * @return whether the lane is now behind: more bytes wait than its budget allows
	 */
	boolean offer(Runnable delivery, long bytes) {
		this.pendingBytes.addAndGet(bytes);
		this.lane.execute(() -> {
			try {
				delivery.run();
			}
			finally {
				taken(bytes);
			}
		});
		return isBehind();
	}

	private void taken(long bytes) {
		long pending = this.pendingBytes.addAndGet(-bytes);
		if (pending <= this.budget / 2 && this.behind.compareAndSet(true, false)) {
			this.caughtUp.run();
		}
	}

	/**
	 * Return whether more bytes wait than the budget allows; if so, {@code caughtUp} will
	 * be called once they have drained to half of it. Called on the actor.
	 * @return whether the lane is behind
	 */
	boolean isBehind() {
		if (this.pendingBytes.get() <= this.budget) {
			return false;
		}
		this.behind.set(true);
		if (this.pendingBytes.get() <= this.budget / 2 && this.behind.compareAndSet(true, false)) {
			// Drained meanwhile: the lane may have missed the flag
			return false;
		}
		return true;
	}

	/**
	 * Run a task on the lane, after the deliveries already queued.
	 * @param task the task
	 */
	void execute(Runnable task) {
		this.lane.execute(task);
	}

	/**
	 * Return how many bytes of messages wait for the subscribers.
	 * @return the bytes
	 */
	long pendingBytes() {
		return this.pendingBytes.get();
	}

}
