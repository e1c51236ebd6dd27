"""Billing endpoints: packages, checkout, portal, payments, subscription status, Stripe webhook."""
