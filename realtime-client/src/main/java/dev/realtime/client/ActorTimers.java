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
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;

import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.TaskScheduler;

/**
 * A group of timers whose tasks run on an actor's serial executor, and which can be
 * cancelled together, for example when the state they belong to is left. Timers are
 * started and cancelled on the actor; a firing that raced with its cancellation is
 * ignored.
 *
 * @author Realtime team
 */
final class ActorTimers {

	private final TaskScheduler scheduler;

	private final Executor actor;

	/**
	 * The latest of the timers started and not yet fired or cancelled, which link to the
	 * others: a list through the timers themselves, as every connection has several
	 * groups and most hold one timer or none. Confined to the actor.
	 */
	private @Nullable Timer latest;

	private final Runnable onSchedulerGone;

	/**
	 * Create a group of timers.
	 * @param scheduler the scheduler that counts the delays
	 * @param actor the actor the timers fire on
	 * @param onSchedulerGone run on the actor if the scheduler refuses a timer because it
	 * is shutting down: the owner can no longer wait for anything
	 */
	ActorTimers(TaskScheduler scheduler, Executor actor, Runnable onSchedulerGone) {
		this.scheduler = scheduler;
		this.actor = actor;
		this.onSchedulerGone = onSchedulerGone;
	}

	/**
	 * Create a group of timers whose owner has nothing to do when the scheduler is gone.
	 * @param scheduler the scheduler that counts the delays
	 * @param actor the actor the timers fire on
	 */
	ActorTimers(TaskScheduler scheduler, Executor actor) {
		this(scheduler, actor, () -> {
		});
	}

	/**
	 * Run a task on the actor after a delay.
	 * @param delay the delay
	 * @param task the task
	 * @return the timer
	 */
	Timer schedule(Duration delay, Runnable task) {
		Timer timer = new Timer(task);
		link(timer);
		try {
			timer.future = this.scheduler.schedule(() -> this.actor.execute(timer::fire),
					this.scheduler.getClock().instant().plus(delay));
		}
		catch (RejectedExecutionException ex) {
			// Shutting down: the timer will never fire. The actor is running this task,
			// so executing on it needs no thread of the scheduler
			unlink(timer);
			this.actor.execute(this.onSchedulerGone);
		}
		return timer;
	}

	/**
	 * Cancel every pending timer of this group.
	 */
	void cancelAll() {
		Timer timer = this.latest;
		while (timer != null) {
			Timer earlier = timer.earlier;
			timer.cancel();
			timer = earlier;
		}
	}

	private void link(Timer timer) {
		timer.earlier = this.latest;
		if (this.latest != null) {
			this.latest.later = timer;
		}
		this.latest = timer;
	}

	private void unlink(Timer timer) {
		if (timer.later != null) {
			timer.later.earlier = timer.earlier;
		}
		else if (this.latest == timer) {
			this.latest = timer.earlier;
		}
		if (timer.earlier != null) {
			timer.earlier.later = timer.later;
		}
		timer.earlier = null;
		timer.later = null;
	}

	/**
	 * One timer of the group.
	 */
	final class Timer {

		private final Runnable task;

		private boolean done;

		private @Nullable ScheduledFuture<?> future;

		/** The pending timers of the group started before and after this one. */
		private @Nullable Timer earlier;

		private @Nullable Timer later;

		private Timer(Runnable task) {
			this.task = task;
		}

		private void fire() {
			if (!this.done) {
				this.done = true;
				unlink(this);
				this.task.run();
			}
		}

		/**
		 * Cancel the timer. Idempotent.
		 */
		void cancel() {
			if (!this.done) {
				this.done = true;
				unlink(this);
			}
			if (this.future != null) {
				this.future.cancel(false);
			}
		}

	}

}
