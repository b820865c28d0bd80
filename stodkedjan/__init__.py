"""Stödkedjan: coordinated, knowledge-based parenting support that prevents crime among children."""
