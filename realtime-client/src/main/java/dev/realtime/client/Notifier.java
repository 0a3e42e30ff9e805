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

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Calls listeners and completes futures off the actor, one at a time and in the order the
 * actor asked, so that no application code runs inside a transition and a slow listener
 * never holds up the connection.
 *
 * @author Realtime team
 */
final class Notifier {

	private static final Log logger = LogFactory.getLog(Notifier.class);

	private final SerialExecutor executor;

	Notifier(Executor executor) {
		this.executor = new SerialExecutor(executor, Integer.MAX_VALUE);
	}

	<T> void complete(CompletableFuture<T> future, @Nullable T value) {
		this.executor.execute(() -> future.complete(value));
	}

	void complete(CompletableFuture<Void> future) {
		complete(future, null);
	}

	void fail(CompletableFuture<?> future, ErrorInfo reason) {
		this.executor.execute(() -> future.completeExceptionally(new RealtimeException(reason)));
	}

	/**
	 * Tell every listener of a list about an event. A listener that throws is logged and
	 * does not stop the others.
	 * @param listeners the listeners, read when the notification runs
	 * @param event the event
	 * @param call how to tell one listener
	 */
	<L, E> void notify(List<L> listeners, E event, BiConsumer<L, E> call) {
		this.executor.execute(() -> {
			for (L listener : listeners) {
				try {
					call.accept(listener, event);
				}
				catch (RuntimeException ex) {
					logger.warn("Listener " + listener + " failed on " + event, ex);
				}
			}
		});
	}

}
