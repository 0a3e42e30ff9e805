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
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Runs tasks one at a time, in submission order, on threads borrowed from a shared
 * executor: the actor mailbox of a connection. No thread is held while the mailbox is
 * empty, so many connections can share one small scheduler.
 * <p>
 * An executor may linger: while its tasks come in a stream, closer together than the
 * linger, a drain that has run out of tasks waits that long for the next one before it
 * gives its thread back, and yields the thread to any other that can run meanwhile. The
 * next task then runs without waking a parked thread, which costs the submitter a system
 * call and the machine a context switch. It lingers only after {@value #STREAM} drains in
 * a row were scheduled within the linger after the previous one ended, and stops at the
 * first linger that waits in vain: an executor that runs a task now and then, or a
 * request and its reply, never lingers.
 *
 * @author Realtime team
 */
final class SerialExecutor implements Executor {

	private static final Log logger = LogFactory.getLog(SerialExecutor.class);

	/**
	 * How many drains in a row must come close together before one lingers: a reply that
	 * follows its request closely (an ACK and an echo, back to back) is no stream.
	 */
	static final int STREAM = 3;

	/** How many tasks one borrowed thread runs before giving the thread back. */
	private static final int BATCH_SIZE = 256;

	private final Executor delegate;

	private final int capacity;

	/** How long a drain in a stream of tasks waits for the next; 0 not to wait. */
	private final long lingerNanos;

	private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	/**
	 * How many tasks wait. Fields with updaters, not atomic objects: every connection has
	 * a few serial executors.
	 */
	private volatile int size;

	/** Whether a drain is scheduled or running: 1 if so, else 0. */
	private volatile int draining;

	private static final AtomicIntegerFieldUpdater<SerialExecutor> SIZE = AtomicIntegerFieldUpdater
		.newUpdater(SerialExecutor.class, "size");

	private static final AtomicIntegerFieldUpdater<SerialExecutor> DRAINING = AtomicIntegerFieldUpdater
		.newUpdater(SerialExecutor.class, "draining");

	// Guarded by the draining flag, which orders drains and their scheduling

	/** When the last drain was scheduled, by {@link System#nanoTime()}. */
	private long scheduledAt;

	/** When the last drain gave its thread back, by {@link System#nanoTime()}. */
	private long idleSince;

	/**
	 * How many drains in a row were scheduled sooner after the previous one ended than
	 * the linger, up to {@link #STREAM}; a drain that runs out of tasks lingers once
	 * there have been that many.
	 */
	private int closeDrains;

	/** The executor whose tasks the current thread is running, if any. */
	private static final ThreadLocal<SerialExecutor> current = new ThreadLocal<>();

	/**
	 * Create a serial executor.
	 * @param delegate the executor whose threads run the tasks
	 * @param capacity how many tasks {@link #tryExecute(Runnable)} accepts before it
	 * refuses
	 */
	SerialExecutor(Executor delegate, int capacity) {
		this(delegate, capacity, Duration.ZERO);
	}

	/**
	 * Create a serial executor that lingers while its tasks come in a stream.
	 * @param delegate the executor whose threads run the tasks
	 * @param capacity how many tasks {@link #tryExecute(Runnable)} accepts before it
	 * refuses
	 * @param linger how long a drain waits for the next task of a stream; at most a few
	 * tens of microseconds, or a busy stream holds the delegate's thread that much longer
	 */
	SerialExecutor(Executor delegate, int capacity, Duration linger) {
		this.delegate = delegate;
		this.capacity = capacity;
		this.lingerNanos = linger.toNanos();
	}

	/**
	 * Submit a task if fewer than {@code capacity} tasks are waiting.
	 * @param task the task
	 * @return whether the task was accepted
	 */
	boolean tryExecute(Runnable task) {
		if (this.size >= this.capacity) {
			return false;
		}
		execute(task);
		return true;
	}

	/**
	 * Submit a task regardless of the capacity. For the few internal events (timers,
	 * transport ends) that must never be refused.
	 */
	@Override
	public void execute(Runnable task) {
		SIZE.incrementAndGet(this);
		this.tasks.add(task);
		scheduleDrain();
	}

	private void scheduleDrain() {
		if (DRAINING.compareAndSet(this, 0, 1)) {
			if (this.lingerNanos > 0) {
				this.scheduledAt = System.nanoTime();
			}
			try {
				this.delegate.execute(this::drain);
			}
			catch (RuntimeException ex) {
				this.draining = 0;
				throw ex;
			}
		}
	}

	/**
	 * Return whether the calling thread is running a task of this executor.
	 * @return whether on this lane
	 */
	boolean isCurrentLane() {
		return current.get() == this;
	}

	private void drain() {
		SerialExecutor outer = current.get();
		current.set(this);
		if (this.lingerNanos > 0) {
			// Did a task come soon enough after the last drain ended for a linger to
			// catch it?
			boolean close = this.scheduledAt - this.idleSince < this.lingerNanos;
			this.closeDrains = close ? Math.min(this.closeDrains + 1, STREAM) : 0;
		}
		try {
			for (int i = 0; i < BATCH_SIZE; i++) {
				Runnable task = this.tasks.poll();
				if (task == null && this.closeDrains == STREAM) {
					task = linger();
				}
				if (task == null) {
					break;
				}
				SIZE.decrementAndGet(this);
				runSafely(task);
			}
		}
		finally {
			// Set back (to null on a pool thread), not removed, so that the next drain on
			// this thread finds its entry instead of adding it again
			current.set(outer);
			if (this.lingerNanos > 0) {
				this.idleSince = System.nanoTime();
			}
			this.draining = 0;
			if (!this.tasks.isEmpty()) {
				scheduleDrain();
			}
		}
	}

	/**
	 * Wait for the next task, yielding the thread to others, for at most the linger or
	 * until the thread is interrupted (its pool shuts down).
	 * @return the task, or {@code null} if none came, which stops the lingering
	 */
	private @Nullable Runnable linger() {
		long deadline = System.nanoTime() + this.lingerNanos;
		do {
			Thread.yield();
			Runnable task = this.tasks.poll();
			if (task != null) {
				return task;
			}
		}
		while (System.nanoTime() - deadline < 0 && !Thread.currentThread().isInterrupted());
		this.closeDrains = 0;
		return null;
	}

	private static void runSafely(Runnable task) {
		try {
			task.run();
		}
		catch (Throwable ex) {
			logger.error("Unexpected failure of a realtime task", ex);
		}
	}

}
