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

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs tasks one at a time, in submission order, on threads borrowed from a shared
 * executor: the actor mailbox of a connection. No thread is held while the mailbox is
 * empty, so many connections can share one small scheduler.
 *
 * @author Realtime team
 */
final class SerialExecutor implements Executor {

	private static final Log logger = LogFactory.getLog(SerialExecutor.class);

	/** How many tasks one borrowed thread runs before giving the thread back. */
	private static final int BATCH_SIZE = 256;

	private final Executor delegate;

	private final int capacity;

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

	/** The executor whose tasks the current thread is running, if any. */
	private static final ThreadLocal<SerialExecutor> current = new ThreadLocal<>();

	/**
	 * Create a serial executor.
	 * @param delegate the executor whose threads run the tasks
	 * @param capacity how many tasks {@link #tryExecute(Runnable)} accepts before it
	 * refuses
	 */
	SerialExecutor(Executor delegate, int capacity) {
		this.delegate = delegate;
		this.capacity = capacity;
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
		try {
			for (int i = 0; i < BATCH_SIZE; i++) {
				Runnable task = this.tasks.poll();
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
			this.draining = 0;
			if (!this.tasks.isEmpty()) {
				scheduleDrain();
			}
		}
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
