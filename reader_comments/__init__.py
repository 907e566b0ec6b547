"""Readers' comments on stories (bình luận bạn đọc), pre-moderated: a
reader's comment is hidden until one of the unit's editors approves it;
each unit opens or closes comments on its own site."""
