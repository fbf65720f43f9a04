/**
 * The notifier extension point of Hookline. A plugin implements {@link io.hookline.notifier.Notifier} for one
 * webhook {@code type}; the core hands it due {@link io.hookline.notifier.Notification}s and records the
 * {@link io.hookline.notifier.DeliveryOutcome} it returns. See {@code plugins/README.md} for a walk-through.
 */
package io.hookline.notifier;
