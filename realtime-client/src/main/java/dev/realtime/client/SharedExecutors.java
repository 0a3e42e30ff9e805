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
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executors on which application code runs when a client is built without executors
 * of its own: shared by every such client of the class loader, daemon threads that end
 * when idle, so that idle clients hold no threads.
 * <ul>
 * <li>{@link #callbacks()} runs the lanes of listeners and subscribers. A lane borrows
 * one thread at a time: an idle one if there is one, otherwise a new one, so the pool
 * holds as many threads as lanes run at once; a lane whose callback blocks keeps its
 * thread, and the pool grows (up to {@value #MAX_CALLBACK_THREADS} threads) rather than
 * let one lane hold up another.</li>
 * <li>{@link #completions()} completes futures, each in a task of its own, on a
 * {@link ForkJoinPool}: a callback that waits on another future with {@code get()} or
 * {@code join()} makes the pool add a thread while it waits (managed blocking), so
 * waiting on a future from a future's callback cannot deadlock.</li>
 * </ul>
 *
 * @author Realtime team
 */
final class SharedExecutors {

	/** How many lanes may run (or block) at once before further lanes queue. */
	static final int MAX_CALLBACK_THREADS = 64;

	/** How long an idle callback thread stays. */
	private static final long KEEP_ALIVE_SECONDS = 30;

	private SharedExecutors() {
	}

	/**
	 * Return the shared executor for listener and subscriber lanes.
	 * @return the executor
	 */
	static Executor callbacks() {
		return Callbacks.EXECUTOR;
	}

	/**
	 * Return the shared executor that completes futures.
	 * @return the executor
	 */
	static Executor completions() {
		return Completions.POOL;
	}

	private static final class Callbacks {

		static final ThreadPoolExecutor EXECUTOR;

		static {
			EXECUTOR = newCallbackPool(MAX_CALLBACK_THREADS, Duration.ofSeconds(KEEP_ALIVE_SECONDS),
					new DaemonThreadFactory("realtime-callback-"));
		}

	}

	private static final class Completions {

		static final ForkJoinPool POOL = new ForkJoinPool(1, (pool) -> {
			ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
			thread.setName("realtime-completion-" + thread.getPoolIndex());
			thread.setDaemon(true);
			return thread;
		}, null, true);

	}

	/**
	 * Create a pool that hands a task to an idle thread if there is one, starts a thread
	 * only when every thread is busy, queues the task once {@code maxThreads} are busy,
	 * and lets a thread go once it has been idle for {@code keepAlive}. A plain
	 * {@link ThreadPoolExecutor} does none of this with an unbounded queue: it starts a
	 * new thread for each task up to its core size, idle threads or not, and never more.
	 * @param maxThreads how many threads may run (or block) at once
	 * @param keepAlive how long a thread may stay idle
	 * @param threadFactory makes the threads
	 * @return the pool
	 */
	static ThreadPoolExecutor newCallbackPool(int maxThreads, Duration keepAlive, ThreadFactory threadFactory) {
		return new ThreadPoolExecutor(0, maxThreads, keepAlive.toNanos(), TimeUnit.NANOSECONDS, new HandOffQueue(),
				threadFactory, (task, pool) -> {
					if (pool.isShutdown()) {
						throw new RejectedExecutionException("The pool is shut down");
					}
					((HandOffQueue) pool.getQueue()).enqueue(task);
				});
	}

	/**
	 * The queue of {@link #newCallbackPool}: the pool's {@code offer} succeeds only if an
	 * idle thread takes the task at once, so that the pool starts a thread instead; tasks
	 * the pool refuses, all of its threads being busy, wait here.
	 */
	@SuppressWarnings("serial")
	private static final class HandOffQueue extends LinkedTransferQueue<Runnable> {

		@Override
		public boolean offer(Runnable task) {
			return tryTransfer(task);
		}

		void enqueue(Runnable task) {
			super.offer(task);
		}

	}

	private static final class DaemonThreadFactory implements ThreadFactory {

		private final String prefix;

		private final AtomicInteger count = new AtomicInteger();

		DaemonThreadFactory(String prefix) {
			this.prefix = prefix;
		}

		@Override
		public Thread newThread(Runnable task) {
			Thread thread = new Thread(task, this.prefix + this.count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		}

	}

}
