/**
 * What the tests of several modules share: a module depends on this one in test scope only, so
 * nothing here ships, and it depends on the JDK alone, so any module's tests may use it without a
 * cycle. One class a job.
 */
package org.mirari.testkit;
