"""Knowledge pages: the lesson and article search, one lesson or article, the forms that write
them and the POSTs that publish, unpublish and archive them."""
