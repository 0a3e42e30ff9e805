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

package dev.realtime.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Qualifier for the {@link org.springframework.scheduling.TaskScheduler TaskScheduler}
 * that runs realtime connections and their timers. The auto-configured one, named
 * {@code realtimeTaskScheduler}, is not a default candidate for injection, so it never
 * stands in for the application's own scheduler; inject it with this qualifier. To
 * replace it, declare a bean of that name with this qualifier, and with
 * {@code @Bean(defaultCandidate = false)} to keep the application's own scheduler. A
 * replacement must keep accepting tasks until the application context has stopped its
 * lifecycle beans (for example with
 * {@code ThreadPoolTaskScheduler.setWaitForTasksToCompleteOnShutdown(true)}), or
 * connections cannot close gracefully on shutdown.
 *
 * @author Realtime team
 */
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
public @interface RealtimeTaskScheduler {

}
