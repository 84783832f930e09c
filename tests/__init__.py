"""The test suite of bhxh_campaign."""
