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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The futures of a channel's {@code attach()} and {@code detach()} calls: those of the
 * request under way, and those of calls made while the opposite request was under way,
 * which run once it completes [RTL4h, RTL5i]. Queued calls are either attaches or
 * detaches, never both: the latest call wins. Confined to the actor.
 *
 * @author Realtime team
 */
final class ChannelRequests {

	private final String channel;

	private final Notifier notifier;

	/** The callers of the attach under way. */
	private final List<CompletableFuture<Void>> attaching = new ArrayList<>();

	/** The callers of the detach under way. */
	private final List<CompletableFuture<Void>> detaching = new ArrayList<>();

	private final List<CompletableFuture<Void>> queuedAttaches = new ArrayList<>();

	private final List<CompletableFuture<Void>> queuedDetaches = new ArrayList<>();

	ChannelRequests(String channel, Notifier notifier) {
		this.channel = channel;
		this.notifier = notifier;
	}

	/**
	 * Wait for the attach under way, or the one about to start; a detach queued behind it
	 * is superseded.
	 * @param future the caller's future
	 */
	void joinAttach(CompletableFuture<Void> future) {
		supersede(this.queuedDetaches, "detach", "attach()");
		this.attaching.add(future);
	}

	/**
	 * Wait for the detach under way, or the one about to start; an attach queued behind
	 * it is superseded.
	 * @param future the caller's future
	 */
	void joinDetach(CompletableFuture<Void> future) {
		supersede(this.queuedAttaches, "attach", "detach()");
		this.detaching.add(future);
	}

	/**
	 * Attach once the detach under way completes [RTL4h].
	 * @param future the caller's future
	 */
	void attachAfterDetach(CompletableFuture<Void> future) {
		this.queuedAttaches.add(future);
	}

	/**
	 * Detach once the attach under way completes [RTL5i].
	 * @param future the caller's future
	 */
	void detachAfterAttach(CompletableFuture<Void> future) {
		this.queuedDetaches.add(future);
	}

	void attached() {
		this.attaching.forEach(this.notifier::complete);
		this.attaching.clear();
	}

	void attachFailed(ErrorInfo reason) {
		failAll(this.attaching, reason);
	}

	void detached() {
		this.detaching.forEach(this.notifier::complete);
		this.detaching.clear();
	}

	void detachFailed(ErrorInfo reason) {
		failAll(this.detaching, reason);
	}

	/**
	 * Run the calls that waited for the request that just completed [RTL4h, RTL5i].
	 * @param attach runs an attach call
	 * @param detach runs a detach call
	 */
	void runQueued(Consumer<CompletableFuture<Void>> attach, Consumer<CompletableFuture<Void>> detach) {
		if (!this.queuedAttaches.isEmpty()) {
			List<CompletableFuture<Void>> attaches = new ArrayList<>(this.queuedAttaches);
			this.queuedAttaches.clear();
			attaches.forEach(attach);
		}
		else if (!this.queuedDetaches.isEmpty()) {
			List<CompletableFuture<Void>> detaches = new ArrayList<>(this.queuedDetaches);
			this.queuedDetaches.clear();
			detaches.forEach(detach);
		}
	}

	/**
	 * Fail the calls queued behind the request under way, because a later call asked for
	 * the opposite.
	 */
	private void supersede(List<CompletableFuture<Void>> queued, String what, String by) {
		failAll(queued, ErrorInfo.failed("The " + what + " of channel '" + this.channel
				+ "' that waited for the request under way was superseded by " + by));
	}

	private void failAll(List<CompletableFuture<Void>> futures, ErrorInfo reason) {
		futures.forEach((future) -> this.notifier.fail(future, reason));
		futures.clear();
	}

}
