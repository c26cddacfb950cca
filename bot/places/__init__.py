"""Places: the offline gazetteer of China's administrative areas and local landmarks."""
