//! Runnable examples of posfee live beside this file (quote.rs, calendar.rs, reconcile.rs).
