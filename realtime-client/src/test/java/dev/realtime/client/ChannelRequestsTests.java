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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ChannelRequests}.
 */
class ChannelRequestsTests {

	private final ChannelRequests requests = new ChannelRequests("news",
			new Notifier(Runnable::run, ForkJoinPool.commonPool()));

	private final List<CompletableFuture<Void>> ranAttaches = new ArrayList<>();

	private final List<CompletableFuture<Void>> ranDetaches = new ArrayList<>();

	@Test
	void everyCallerOfTheAttachUnderWayHearsItsOutcome() {
		CompletableFuture<Void> first = new CompletableFuture<>();
		CompletableFuture<Void> second = new CompletableFuture<>();
		this.requests.joinAttach(first);
		this.requests.joinAttach(second);
		this.requests.attached();
		assertThat(first).succeedsWithin(Duration.ofSeconds(5));
		assertThat(second).succeedsWithin(Duration.ofSeconds(5));
	}

	@Test
	void aDetachQueuedBehindAnAttachRunsOnceTheAttachCompletes() {
		CompletableFuture<Void> detach = new CompletableFuture<>();
		this.requests.joinAttach(new CompletableFuture<>());
		this.requests.detachAfterAttach(detach);
		this.requests.attached();
		runQueued();
		assertThat(this.ranDetaches).containsExactly(detach);
		assertThat(this.ranAttaches).isEmpty();
		runQueued();
		assertThat(this.ranDetaches).as("run once").containsExactly(detach);
	}

	@Test
	void aLaterAttachSupersedesADetachQueuedBehindTheAttachUnderWay() {
		CompletableFuture<Void> detach = new CompletableFuture<>();
		this.requests.joinAttach(new CompletableFuture<>());
		this.requests.detachAfterAttach(detach);
		this.requests.joinAttach(new CompletableFuture<>());
		assertThat(detach).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.withMessageContaining("The detach of channel 'news' that waited for the request under way was "
					+ "superseded by attach()");
		runQueued();
		assertThat(this.ranDetaches).isEmpty();
	}

	@Test
	void aLaterDetachSupersedesAnAttachQueuedBehindTheDetachUnderWay() {
		CompletableFuture<Void> attach = new CompletableFuture<>();
		this.requests.joinDetach(new CompletableFuture<>());
		this.requests.attachAfterDetach(attach);
		this.requests.joinDetach(new CompletableFuture<>());
		assertThat(attach).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.withMessageContaining("superseded by detach()");
	}

	@Test
	void aFailedRequestFailsItsCallersWithTheReason() {
		CompletableFuture<Void> attach = new CompletableFuture<>();
		this.requests.joinAttach(attach);
		this.requests.attachFailed(ErrorInfo.timeout("No ATTACHED"));
		assertThat(attach).failsWithin(Duration.ofSeconds(5)).withThrowableThat().withMessageContaining("No ATTACHED");
	}

	private void runQueued() {
		this.requests.runQueued(this.ranAttaches::add, this.ranDetaches::add);
	}

}
